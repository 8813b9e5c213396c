import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../core/config';
import { InvalidInputError, StructureMismatchError } from '../../core/errors';
import { RngStream } from '../rng';
import { flattenTree, type Tree } from '../../core/tree';
import { encodeMnistAsset, parseMnistAsset } from './mnist';
import { makeSource, Pipeline } from './pipeline';
import { batchBits, resumeRun } from './testing';

// 40 samples → 32 train; batches of 5 straddle an epoch boundary every 6.4 batches.
const config: RunConfig = { ...DEFAULT_CONFIG, dataset: 'spirals', samples: 40, batch: 5, seed: 3, inputNoise: 0.05 };
const make = (c: RunConfig = config) => Pipeline.create(c, makeSource(c));
const next = (p: Pipeline) => batchBits(p.next());

// Twelve random 28×28 "digits": enough to cross epochs with a digits pipeline without the real data.
function tinyAsset(): Uint8Array {
  const rng = RngStream.fromSeed(0, 'test', 'tiny-mnist');
  const n = 12;
  const pixels = Uint8Array.from({ length: n * 784 }, () => (rng.nextFloat() < 0.2 ? rng.nextInt(256) : 0));
  return encodeMnistAsset({ labels: Uint8Array.from({ length: n }, (_, i) => i % 10), pixels, rows: 28, cols: 28 });
}
const digitsConfig: RunConfig = { ...config, dataset: 'digits', batch: 3 };
// The default split needs 2000 test images, so the tiny asset gets its own.
const digitsSource = () => parseMnistAsset(tinyAsset(), 4);

describe('Pipeline', () => {
  it('resumes into a fresh pipeline exactly as it continues, for every k in 0..25', () => {
    const total = 30; // 150 samples: epochs 0–4
    for (let k = 0; k <= 25; k++) {
      const { continued, resumed, fresh, checkpoint } = resumeRun(make, next, k, total);
      expect(resumed, `k=${k}`).toEqual(continued);
      // Negative control: without the restore the remaining batches differ, so the check can fail.
      if (k > 0) expect(fresh, `k=${k}`).not.toEqual(continued);
      expect(checkpoint.position).toBe(k);
    }
  });

  it('resumes a digits pipeline (shift → normalize → noise) across epochs', () => {
    const source = digitsSource();
    const mk = () => Pipeline.create(digitsConfig, source);
    for (const k of [0, 1, 2, 3, 5, 8]) {
      const { continued, resumed, fresh } = resumeRun(mk, next, k, 10);
      expect(resumed, `k=${k}`).toEqual(continued);
      if (k > 0) expect(fresh, `k=${k}`).not.toEqual(continued);
    }
    expect(Object.keys(mk().getState().stages as Tree).sort()).toEqual(['noise', 'shift']);
  });

  it('needs the stage streams too: restoring only the sampler diverges', () => {
    const a = make();
    for (let i = 0; i < 7; i++) a.next();
    const saved = a.getState();
    const b = make();
    for (let i = 0; i < 3; i++) b.next();
    b.setState({ ...saved, stages: b.getState().stages as Tree });
    const got = next(b);
    const want = next(a);
    expect(got.indices).toEqual(want.indices);
    expect(got.x).not.toEqual(want.x);
  });

  it('yields well-formed batches with indices crossing epochs', () => {
    const p = make();
    const batches = Array.from({ length: 7 }, () => p.next());
    for (const b of batches) {
      expect(b.shape).toEqual([2]);
      expect(b.x.length).toBe(10);
      expect(b.y.length).toBe(5);
    }
    const first = batches.flatMap((b) => Array.from(b.indices)).slice(0, 32);
    expect(first.sort((x, y) => x - y)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(p.position).toBe(7);
    expect(p.epoch).toBe(1);
  });

  it('saves numbers only, in the documented layout', () => {
    const p = make();
    p.next();
    const s = p.getState();
    expect(flattenTree(s).every(([, v]) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(flattenTree(s).map(([k]) => k)).toEqual([
      'position',
      'sampler/cursor', 'sampler/epoch', 'sampler/rng/counter', 'sampler/rng/key0', 'sampler/rng/key1',
      'source/checksum', 'source/classes', 'source/features', 'source/test', 'source/train',
      'stages/jitter/counter', 'stages/jitter/key0', 'stages/jitter/key1',
      'stages/noise/counter', 'stages/noise/key0', 'stages/noise/key1',
    ]);
    expect(s).toMatchObject({ position: 1, sampler: { epoch: 0, cursor: 5 }, stages: { jitter: { counter: 5 }, noise: { counter: 20 } } });
  });

  it('refuses a checkpoint of other data and changes nothing', () => {
    const other = make({ ...config, seed: 4 });
    other.next();
    const p = make();
    p.next();
    const before = p.getState();
    expect(() => p.setState(other.getState())).toThrow(StructureMismatchError);
    expect(() => p.setState(other.getState())).toThrow(/different spirals data.*checksum/);
    expect(p.getState()).toEqual(before);
    const moreSamples = make({ ...config, samples: 50 });
    expect(() => p.setState(moreSamples.getState())).toThrow(/train: 40 ≠ 32/);
  });

  it.each<[string, (t: Tree) => void]>([
    ['a NaN noise counter', (t) => { ((t.stages as Tree).noise as Tree).counter = NaN; }],
    ['a missing jitter stage', (t) => { delete (t.stages as Tree).jitter; }],
    ['an extra stage', (t) => { (t.stages as Tree).shift = { key0: 0, key1: 0, counter: 0 }; }],
    ['a missing position', (t) => { delete t.position; }],
    ['a cursor past the split', (t) => { (t.sampler as Tree).cursor = 32; }],
    ['no source fingerprint', (t) => { delete t.source; }],
  ])('refuses a state with %s, all or nothing', (_, spoil) => {
    const donor = make();
    for (let i = 0; i < 9; i++) donor.next();
    const bad = structuredClone(donor.getState());
    spoil(bad);
    const p = make();
    p.next();
    const before = p.getState();
    expect(() => p.setState(bad)).toThrow(StructureMismatchError);
    expect(p.getState()).toEqual(before);
  });

  it('rolls back parts already applied when a later part fails', () => {
    const donor = make();
    for (let i = 0; i < 9; i++) donor.next();
    const bad = structuredClone(donor.getState());
    // Valid layout, so the sampler applies before the noise stage rejects its counter.
    ((bad.stages as Tree).noise as Tree).counter = -1;
    const p = make();
    const before = p.getState();
    expect(() => p.setState(bad)).toThrow(/stages\/noise|noise\/counter/);
    expect(p.getState()).toEqual(before);
    expect(next(p)).toEqual(next(make()));
  });

  it('evaluates without advancing any training stream', () => {
    const p = make();
    p.next();
    const before = p.getState();
    const test = p.evalBatch();
    const train = p.evalBatch('train');
    expect(test.y.length).toBe(8);
    expect(train.y.length).toBe(32);
    expect(Array.from(test.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(batchBits(p.evalBatch())).toEqual(batchBits(test));
    expect(p.getState()).toEqual(before);
    // Normalised with train statistics: train inputs are centred.
    const meanX = train.x.filter((_, i) => i % 2 === 0).reduce((a, v) => a + v, 0) / 32;
    expect(Math.abs(meanX)).toBeLessThan(1e-5);
    const raw = p.source.test.x;
    expect(Array.from(p.transformInputs(raw))).toEqual(Array.from(test.x));
    expect(() => p.transformInputs(new Float32Array(3))).toThrow(RangeError);
    const twin = make();
    twin.next();
    expect(next(p)).toEqual(next(twin));
  });

  it('loads sources by config and refuses mismatches', () => {
    expect(makeSource({ ...config, dataset: 'xor' }).name).toBe('xor');
    expect(() => makeSource(digitsConfig)).toThrow(InvalidInputError);
    expect(() => Pipeline.create({ ...config, dataset: 'moons' }, makeSource(config))).toThrow(/asks for moons/);
    expect(() => Pipeline.create({ ...config, batch: 0 }, makeSource(config))).toThrow(InvalidInputError);
    expect(() => makeSource(digitsConfig, tinyAsset())).toThrow(/too few/);
    expect(Pipeline.create(digitsConfig, digitsSource()).next().shape).toEqual([28, 28, 1]);
  });
});
