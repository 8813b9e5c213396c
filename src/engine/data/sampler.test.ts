import { describe, expect, it } from 'vitest';
import { StructureMismatchError } from '../../core/errors';
import { RngStream } from '../rng';
import { permutation, Sampler } from './sampler';
import { resumeRun } from './testing';

const N = 10;
const BATCH = 4;
const make = (n = N, seed = 0) => new Sampler(n, RngStream.fromSeed(seed, 'data', 'shuffle'));
const take = (s: Sampler) => Array.from(s.take(BATCH));
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((p, q) => p - q);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('permutation', () => {
  it('is a Fisher–Yates shuffle fixed by the stream', () => {
    const p = permutation(N, RngStream.fromSeed(0, 'p'));
    expect(sorted(p)).toEqual(range(N));
    expect(Array.from(p)).toEqual(Array.from(permutation(N, RngStream.fromSeed(0, 'p'))));
    expect(Array.from(permutation(1, RngStream.fromSeed(0, 'p')))).toEqual([0]);
  });
});

describe('Sampler', () => {
  it('pins the golden first epochs for seed 0', () => {
    const s = make();
    expect([0, 1].map((e) => Array.from(s.epochOrder(e)))).toMatchInlineSnapshot(`
      [
        [
          2,
          9,
          3,
          1,
          6,
          5,
          7,
          4,
          0,
          8,
        ],
        [
          8,
          4,
          6,
          2,
          1,
          0,
          9,
          5,
          7,
          3,
        ],
      ]
    `);
  });

  it('makes every epoch a permutation of 0..n-1, with epochs and seeds differing', () => {
    const s = make();
    const flat = Array.from(s.take(N * 6));
    const epochs = range(6).map((e) => flat.slice(e * N, (e + 1) * N));
    for (const e of epochs) expect(sorted(e)).toEqual(range(N));
    expect(new Set(epochs.map((e) => e.join(','))).size).toBe(6);
    expect(Array.from(make(N, 1).take(N))).not.toEqual(epochs[0]);
    expect(s.epoch).toBe(6);
    expect(s.cursor).toBe(0);
  });

  it('derives each epoch from the key alone and straddles epoch boundaries', () => {
    const s = make();
    const order = [0, 1, 2].map((e) => Array.from(make().epochOrder(e)));
    const flat = order.flat();
    for (let b = 0; b < 7; b++) expect(take(s)).toEqual(flat.slice(b * BATCH, (b + 1) * BATCH));
    // Batch 2 took the last two of epoch 0 and the first two of epoch 1.
    expect(s.epoch).toBe(2);
    expect(s.cursor).toBe(8);
  });

  it('resumes into a fresh sampler exactly as it continues, for every k across three epoch boundaries', () => {
    const total = 12; // 48 indices: epochs 0–4
    for (let k = 0; k < total; k++) {
      const { continued, resumed, fresh, checkpoint } = resumeRun(make, take, k, total);
      expect(resumed, `k=${k}`).toEqual(continued);
      if (k > 0) expect(fresh, `k=${k}`).not.toEqual(continued);
      expect(checkpoint).toMatchObject({ epoch: Math.floor((k * BATCH) / N), cursor: (k * BATCH) % N });
    }
  });

  it('saves plain numbers: position plus stream key', () => {
    const s = make();
    s.take(13);
    expect(s.getState()).toEqual({ epoch: 1, cursor: 3, rng: RngStream.fromSeed(0, 'data', 'shuffle').getState() });
  });

  it.each([
    ['missing epoch', { epoch: undefined }],
    ['NaN cursor', { epoch: 0, cursor: NaN }],
    ['cursor past the end', { epoch: 0, cursor: N }],
    ['negative epoch', { epoch: -1, cursor: 0 }],
    ['epoch beyond uint32', { epoch: 2 ** 32, cursor: 0 }],
    ['missing rng', { epoch: 0, cursor: 0, rng: undefined }],
    ['bad rng counter', { epoch: 0, cursor: 0, rng: { key0: 1, key1: 2, counter: -3 } }],
  ])('refuses a state with %s and stays where it was', (_, patch) => {
    const s = make();
    s.take(5);
    const before = s.getState();
    const bad = Object.assign({ ...make(N, 9).getState(), epoch: 3, cursor: 1 }, patch);
    expect(() => s.setState(bad as never)).toThrow(StructureMismatchError);
    expect(s.getState()).toEqual(before);
    const twin = make();
    twin.setState(before);
    expect(take(s)).toEqual(take(twin));
  });
});
