import { describe, expect, it } from 'vitest';
import { nearestIndex, pathData } from './LiveLayer';

const x = (v: number) => v * 10;
const y = (v: number) => 100 - v;

describe('pathData', () => {
  it('draws one segment through defined points', () => {
    expect(pathData([[1, 5], [2, 7.25], [3, 9]], x, y)).toBe('M10.0,95.0L20.0,92.8L30.0,91.0');
  });
  it('starts a new segment after a gap, so a missing loss is not bridged', () => {
    expect(pathData([[1, 5], [2, undefined], [3, 9], [4, 10]], x, y)).toBe('M10.0,95.0M30.0,91.0L40.0,90.0');
  });
  it('skips points the scale cannot place (a log scale at 0)', () => {
    const log = (v: number) => (v > 0 ? -Math.log10(v) : undefined);
    expect(pathData([[1, 0], [2, 1], [3, 10]], x, log)).toBe('M20.0,0.0L30.0,-1.0');
  });
  it('is empty with no points', () => {
    expect(pathData([], x, y)).toBe('');
  });
});

describe('nearestIndex', () => {
  const xs = [1, 4, 7, 10, 200];
  it('finds the closest value, ties going to the lower one', () => {
    expect(nearestIndex(xs, 0)).toBe(0);
    expect(nearestIndex(xs, 5.4)).toBe(1);
    expect(nearestIndex(xs, 5.5)).toBe(1);
    expect(nearestIndex(xs, 5.6)).toBe(2);
    expect(nearestIndex(xs, 104)).toBe(3);
    expect(nearestIndex(xs, 106)).toBe(4);
    expect(nearestIndex(xs, 1e9)).toBe(4);
  });
  it('is −1 for no values', () => {
    expect(nearestIndex([], 3)).toBe(-1);
  });
});
