import { describe, expect, it } from 'vitest';
import { gatherBatch, type Split } from './batch';
import { Normalize } from './normalize';
import { syntheticSource } from './synthetic';

const all = (s: Split) => Int32Array.from({ length: s.n }, (_, i) => i);

function moments(x: Float32Array, f: number, j: number | null): [number, number] {
  let sum = 0, sumSq = 0, n = 0;
  x.forEach((v, i) => { if (j === null || i % f === j) { sum += v; sumSq += v * v; n++; } });
  return [sum / n, Math.sqrt(sumSq / n - (sum / n) ** 2)];
}

describe('Normalize', () => {
  it('gives each feature of the train split mean 0 and std 1', () => {
    const s = syntheticSource('moons', 0, 500);
    const out = new Normalize(s.train, [2], true).apply(gatherBatch(s.train, all(s.train), [2]));
    for (const j of [0, 1]) {
      const [m, sd] = moments(out.x, 2, j);
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(Math.abs(sd - 1)).toBeLessThan(1e-5);
    }
  });

  it('uses one global pair for images and leaves constant pixels finite', () => {
    // Two 2×2 images; pixel 0 is always blank, as MNIST borders are.
    const train: Split = { x: Float32Array.from([0, 1, 0.5, 0, 0, 0, 1, 1]), y: Int32Array.from([0, 1]), n: 2 };
    const norm = new Normalize(train, [2, 2, 1], false);
    expect(norm.mean.length).toBe(1);
    const out = norm.apply(gatherBatch(train, all(train), [2, 2, 1]));
    const [m, sd] = moments(out.x, 4, null);
    expect(Math.abs(m)).toBeLessThan(1e-6);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-6);
    const flat: Split = { x: new Float32Array(4).fill(3), y: Int32Array.from([0, 0]), n: 2 };
    expect(Array.from(new Normalize(flat, [2], true).apply(gatherBatch(flat, all(flat), [2])).x)).toEqual([0, 0, 0, 0]);
  });

  it('is deterministic and never writes its input', () => {
    const s = syntheticSource('xor', 0, 100);
    const norm = new Normalize(s.train, [2], true);
    const b = gatherBatch(s.test, all(s.test), [2]);
    const copy = b.x.slice();
    expect(Array.from(norm.apply(b).x)).toEqual(Array.from(norm.apply(b).x));
    expect(b.x).toEqual(copy);
  });
});
