import { describe, expect, it } from 'vitest';
import { balancedOrder, mad, median, pairedRatio, perSecond, ratioOfMedians, stepsFor, summarize } from './stats';

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('refuses an empty list and NaN', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, NaN, 2])).toThrow(RangeError);
  });

  it('ignores one wild outlier, unlike the mean', () => {
    expect(median([10, 11, 10, 1000, 9])).toBe(10);
  });
});

describe('spread and summaries', () => {
  it('computes the median absolute deviation', () => {
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });

  it('summarizes n, median, min, max', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, median: 2, min: 1, max: 3, mad: 1 });
  });
});

describe('ratios', () => {
  it('pairs repetitions: a drift that hits both sides cancels', () => {
    // B is always 10% slower than A, while the machine slows down 3× over the run.
    const a = [10, 20, 30, 40, 50];
    const b = a.map((x) => x * 1.1);
    expect(pairedRatio(b, a)).toBeCloseTo(1.1, 12);
  });

  it('differs from the ratio of medians when the pairs disagree', () => {
    const a = [1, 2, 100];
    const b = [2, 4, 1];
    expect(pairedRatio(a, b)).toBe(0.5);
    expect(ratioOfMedians(a, b)).toBe(1);
  });

  it('refuses series of different lengths', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
  });
});

describe('rates and repetition sizes', () => {
  it('turns a count over milliseconds into a rate per second', () => {
    expect(perSecond(50, 250)).toBe(200);
    expect(() => perSecond(1, 0)).toThrow(RangeError);
  });

  it('sizes a repetition to the target time within bounds', () => {
    expect(stepsFor(1000, 10, 2, 500)).toBe(100);
    expect(stepsFor(1000, 0.1, 2, 500)).toBe(500);
    expect(stepsFor(1000, 2000, 2, 500)).toBe(2);
    expect(stepsFor(1000, 0, 2, 500)).toBe(500);
  });
});

describe('balancedOrder', () => {
  /** How often each ordered pair (a directly before b) occurs over the first `reps` rows. */
  const follows = (n: number, reps: number) => {
    const count = new Map<string, number>();
    for (let r = 0; r < reps; r++) {
      const row = balancedOrder(n, r);
      expect([...row].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      for (let i = 1; i < n; i++) count.set(`${row[i - 1]}>${row[i]}`, (count.get(`${row[i - 1]}>${row[i]}`) ?? 0) + 1);
    }
    return count;
  };

  it('makes every variant follow every other exactly once over n rows (even n)', () => {
    for (const n of [2, 4, 6]) {
      const count = follows(n, n);
      expect(count.size).toBe(n * (n - 1));
      expect([...count.values()].every((c) => c === 1)).toBe(true);
    }
  });

  it('makes every variant follow every other exactly twice over 2n rows (odd n)', () => {
    for (const n of [3, 5]) {
      const count = follows(n, 2 * n);
      expect(count.size).toBe(n * (n - 1));
      expect([...count.values()].every((c) => c === 2)).toBe(true);
    }
  });

  it('starts from the identity-like row and cycles', () => {
    expect(balancedOrder(6, 0)).toEqual([0, 1, 5, 2, 4, 3]);
    expect(balancedOrder(6, 7)).toEqual(balancedOrder(6, 1));
    expect(balancedOrder(1, 3)).toEqual([0]);
  });
});
