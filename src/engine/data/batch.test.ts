import { describe, expect, it } from 'vitest';
import { featureCount, gatherBatch, withInputs, type Split } from './batch';

const split: Split = { x: Float32Array.from([0, 1, 10, 11, 20, 21]), y: Int32Array.from([0, 1, 2]), n: 3 };

describe('batch helpers', () => {
  it('counts features of a sample shape', () => {
    expect(featureCount([2])).toBe(2);
    expect(featureCount([28, 28, 1])).toBe(784);
  });

  it('gathers rows into fresh arrays, leaving the split untouched', () => {
    const b = gatherBatch(split, Int32Array.from([2, 0, 2]), [2]);
    expect(Array.from(b.x)).toEqual([20, 21, 0, 1, 20, 21]);
    expect(Array.from(b.y)).toEqual([2, 0, 2]);
    expect(Array.from(b.indices)).toEqual([2, 0, 2]);
    b.x[0] = -1;
    expect(split.x[4]).toBe(20);
  });

  it('refuses indices outside the split', () => {
    expect(() => gatherBatch(split, Int32Array.from([3]), [2])).toThrow(RangeError);
    expect(() => gatherBatch(split, Int32Array.from([-1]), [2])).toThrow(RangeError);
  });

  it('replaces inputs without touching the original batch', () => {
    const b = gatherBatch(split, Int32Array.from([1]), [2]);
    const c = withInputs(b, Float32Array.from([7, 8]));
    expect(Array.from(b.x)).toEqual([10, 11]);
    expect(Array.from(c.x)).toEqual([7, 8]);
    expect(c.y).toBe(b.y);
  });
});
