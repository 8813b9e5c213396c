import { describe, expect, it } from 'vitest';
import { RngStream } from '../rng';
import { gatherBatch } from './batch';
import { Jitter } from './jitter';
import { syntheticSource } from './synthetic';
import { randomStageContract } from './testing';

const source = syntheticSource('moons', 0, 100);
const input = () => gatherBatch(source.train, Int32Array.from([1, 2, 3, 40, 41]), [2]);

describe('Jitter', () => {
  randomStageContract((rng) => new Jitter(rng), input);

  it('scales each sample as a whole by a factor in [0.9, 1.1)', () => {
    const stage = new Jitter(RngStream.fromSeed(0, 'j'));
    let lo = Infinity, hi = -Infinity;
    for (let t = 0; t < 200; t++) {
      const b = input();
      const out = stage.apply(b).x;
      for (let s = 0; s < 5; s++) {
        const k0 = out[2 * s] / b.x[2 * s];
        const k1 = out[2 * s + 1] / b.x[2 * s + 1];
        expect(Math.abs(k0 - k1)).toBeLessThan(1e-5);
        lo = Math.min(lo, k0); hi = Math.max(hi, k0);
      }
    }
    expect(lo).toBeGreaterThanOrEqual(0.9 - 1e-6);
    expect(hi).toBeLessThan(1.1 + 1e-6);
    expect(hi - lo).toBeGreaterThan(0.18);
  });

  it('refuses a scale range outside [0, 1)', () => {
    expect(() => new Jitter(RngStream.fromSeed(0, 'j'), 1)).toThrow(RangeError);
    expect(() => new Jitter(RngStream.fromSeed(0, 'j'), -0.1)).toThrow(RangeError);
  });
});
