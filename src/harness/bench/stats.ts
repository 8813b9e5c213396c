/**
 * Statistics for the benchmark: medians, paired ratios and rates. Pure
 * functions over plain numbers, shared by the bench worker and the driver.
 *
 * Every comparison the bench reports is a ratio of two things measured in the
 * same run, interleaved (A, B, A, B, ...), so slow drifts of a noisy machine
 * hit both sides alike.
 */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  if (xs.some((x) => Number.isNaN(x))) throw new RangeError('median of a list holding NaN');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation from the median (a robust spread). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** Summary of repeated timings. */
export interface Summary {
  /** Number of samples. */
  n: number;
  /** Median. */
  median: number;
  /** Smallest sample. */
  min: number;
  /** Largest sample. */
  max: number;
  /** Median absolute deviation. */
  mad: number;
}

/** Median, extremes and spread of a non-empty list. */
export function summarize(xs: readonly number[]): Summary {
  return { n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), mad: mad(xs) };
}

/**
 * Median of the per-repetition ratios a[i] / b[i] of two interleaved series.
 * Pairing cancels drift between repetitions; the lists must be the same length.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`pairedRatio: ${a.length} samples against ${b.length}`);
  return median(a.map((x, i) => x / b[i]));
}

/** Median of a over median of b. */
export function ratioOfMedians(a: readonly number[], b: readonly number[]): number {
  return median(a) / median(b);
}

/** Events per second from a count and a duration in milliseconds. */
export function perSecond(count: number, ms: number): number {
  if (!(ms > 0)) throw new RangeError(`perSecond: duration must be positive, got ${ms}`);
  return (count * 1000) / ms;
}

/** Steps to time in one repetition: enough for `targetMs` at `stepMs` each, within [min, max]. */
export function stepsFor(targetMs: number, stepMs: number, min: number, max: number): number {
  if (!(stepMs > 0)) return max;
  return Math.max(min, Math.min(max, Math.ceil(targetMs / stepMs)));
}

/**
 * The order in which to run `n` variants in repetition `rep`: row `rep` of a
 * Williams design (a balanced Latin square). Over n repetitions (2n for odd
 * n) every variant directly follows every other one equally often, so what
 * one variant leaves behind (IndexedDB compaction, garbage) lands on each
 * successor alike. A plain rotation of one order would keep every variant's
 * predecessor fixed.
 */
export function balancedOrder(n: number, rep: number): number[] {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(rep) && rep >= 0)) throw new RangeError(`balancedOrder: bad n ${n} or rep ${rep}`);
  // 0, 1, n-1, 2, n-2, ...: the differences between neighbours run over every non-zero residue once.
  const base = Array.from({ length: n }, (_, i) => (i % 2 === 1 ? (i + 1) / 2 : (n - i / 2) % n));
  const rows = n % 2 === 0 ? n : 2 * n;
  const r = rep % rows;
  const row = base.map((b) => (b + r) % n);
  return r < n ? row : row.reverse();
}
