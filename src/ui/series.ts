/**
 * Loss curves for the playground, pure: merging step events into per-phase
 * curves, building the rows the charts draw (thinned for display only), the
 * |reference − resumed| rows for the log-scale view, the step rate, and the
 * number formats the verdict uses.
 */
import type { Phase, SessionEvent } from '../protocol';

/** A step event. */
export type StepEvent = Extract<SessionEvent, { type: 'step' }>;

/** The three curves of an experiment; index i holds the loss after step i + 1. */
export interface Curves {
  /** Phase 1: the uninterrupted reference. */
  reference: number[];
  /** Phase 2: the checkpointed run (the crashed run once it crashed). */
  checkpointed: number[];
  /** Phase 3: the resumed run, defined from the step after the restore. */
  resumed: number[];
}

/** Curves with nothing in them. */
export function emptyCurves(): Curves {
  return { reference: [], checkpointed: [], resumed: [] };
}

const KEY: Record<Phase, keyof Curves> = { reference: 'reference', checkpointed: 'checkpointed', resumed: 'resumed' };

/**
 * Merges step events into curves. Returns a new object; only the curves an
 * event touched are copied. Steps are 1-based; a step seen twice keeps its
 * latest loss.
 */
export function mergeSteps(curves: Curves, events: readonly SessionEvent[]): Curves {
  const out: Curves = { ...curves };
  const copied = new Set<keyof Curves>();
  for (const e of events) {
    if (e.type !== 'step') continue;
    const key = KEY[e.phase];
    if (!copied.has(key)) {
      out[key] = out[key].slice();
      copied.add(key);
    }
    out[key][e.step - 1] = e.loss;
  }
  return out;
}

/** Markers drawn on the loss chart. */
export interface Markers {
  /** Step of the crash (the crashed curve ends there), or null. */
  crashAtStep: number | null;
  /** Step restored from (the resumed curve starts there), or null. */
  restoreStep: number | null;
}

/** One row of the loss chart; a missing key draws no point. */
export interface LossRow {
  /** Training step (1-based). */
  step: number;
  /** Reference loss. */
  reference?: number;
  /** Checkpointed (crashed) run's loss, up to the crash. */
  crashed?: number;
  /** Resumed run's loss, from the restore step on. */
  resumed?: number;
}

/**
 * Steps to draw for curves of length n: at most about maxPoints evenly spaced
 * steps, always the first and last, plus every step in `keep` (markers).
 */
export function displaySteps(n: number, maxPoints: number, keep: readonly number[] = []): number[] {
  if (n <= 0) return [];
  const stride = Math.max(1, Math.ceil(n / Math.max(2, maxPoints)));
  const steps = new Set<number>([1, n]);
  for (let s = 1; s <= n; s += stride) steps.add(s);
  for (const k of keep) if (k >= 1 && k <= n) steps.add(k);
  return [...steps].sort((a, b) => a - b);
}

const at = (curve: readonly number[], step: number): number | undefined => {
  const v = curve[step - 1];
  return v === undefined ? undefined : v;
};

/**
 * Rows of the loss chart: the reference, the checkpointed run up to the
 * crash, and the resumed run from the restore step (its first point is the
 * restored state's loss, so the curve starts where the crashed one left it).
 */
export function lossRows(curves: Curves, markers: Markers, maxPoints: number): LossRow[] {
  const crashEnd = markers.crashAtStep ?? curves.checkpointed.length;
  const n = Math.max(curves.reference.length, Math.min(curves.checkpointed.length, crashEnd), curves.resumed.length);
  const keep = [markers.crashAtStep, markers.restoreStep].filter((s): s is number => s !== null);
  const rows: LossRow[] = [];
  for (const step of displaySteps(n, maxPoints, keep)) {
    const row: LossRow = { step };
    const r = at(curves.reference, step);
    if (r !== undefined) row.reference = r;
    const c = step <= crashEnd ? at(curves.checkpointed, step) : undefined;
    if (c !== undefined) row.crashed = c;
    if (markers.restoreStep !== null && step >= markers.restoreStep) {
      const v = step === markers.restoreStep ? (at(curves.resumed, step) ?? at(curves.checkpointed, step)) : at(curves.resumed, step);
      if (v !== undefined) row.resumed = v;
    }
    rows.push(row);
  }
  return rows;
}

/** One row of the |reference − resumed| view. */
export interface DiffRow {
  /** Training step (1-based). */
  step: number;
  /** |reference − other|, when it is not exactly 0. */
  diff?: number;
  /** The floor value, when the difference is exactly 0 (drawn in the "exactly 0" band). */
  zero?: number;
  /** The exact difference (0 included), for the tooltip. */
  value: number;
}

/** Rows and axis floor of the |reference − resumed| view. */
export interface DiffView {
  /** One row per drawn step where both losses are known. */
  rows: DiffRow[];
  /** Bottom of the log axis; exact zeros are drawn there. */
  floor: number;
  /** Top of the log axis (a power of ten above the largest difference). */
  top: number;
  /** Steps compared. */
  compared: number;
  /** Steps whose difference is exactly 0. */
  zeros: number;
}

/**
 * The loss chart's y axis: round ticks from 0 (or the lowest loss, when one
 * is negative) up past the highest finite loss and at least to `minTop`.
 * Anchored at 0 rather than at the lowest loss so that, as the loss falls,
 * the axis stays where it is and the chart frame need not be redrawn; a
 * `minTop` above the first losses keeps it from moving when they arrive.
 */
export function lossAxis(rows: readonly LossRow[], minTop = 0): { ticks: number[]; domain: [number, number] } {
  let lo = 0, hi = minTop > 0 ? minTop : -Infinity;
  for (const r of rows) {
    for (const v of [r.reference, r.crashed, r.resumed]) {
      if (v !== undefined && Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
  }
  return hi > lo ? niceTicks(lo, hi, 6) : { ticks: [0, 1], domain: [0, 1] };
}

/**
 * The loss that phase 3 is compared with at each step: up to the restore
 * step the checkpointed run's (the resumed run replays it from the
 * checkpoint; the resumed curve's own copy fills any gap), after it the
 * resumed run's; before any resume, the checkpointed run's.
 */
export function comparedCurve(curves: Curves, restoreStep: number | null): number[] {
  if (restoreStep === null) return curves.checkpointed;
  const n = Math.max(Math.min(curves.checkpointed.length, restoreStep), curves.resumed.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i < restoreStep ? (curves.checkpointed[i] ?? curves.resumed[i]) : curves.resumed[i]);
  return out;
}

/**
 * |reference − other| per step for a log-scale chart. log(0) is undefined, so
 * exact zeros get their own row key drawn at `floor`, a decade below the
 * smallest non-zero difference (1e-12 when every difference is 0).
 */
export function diffRows(reference: readonly number[], other: readonly number[], maxPoints: number): DiffView {
  const n = Math.min(reference.length, other.length);
  let minNonZero = Infinity;
  let max = 0;
  let compared = 0;
  let zeros = 0;
  const values: Array<number | undefined> = [];
  for (let i = 0; i < n; i++) {
    const a = reference[i], b = other[i];
    if (a === undefined || b === undefined) { values.push(undefined); continue; }
    const d = Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) ? 0 : Number.isNaN(a - b) ? Infinity : Math.abs(a - b);
    values.push(d);
    compared++;
    if (d === 0) zeros++;
    else {
      if (d < minNonZero) minNonZero = d;
      if (Number.isFinite(d) && d > max) max = d;
    }
  }
  const floor = Number.isFinite(minNonZero) ? 10 ** (Math.floor(Math.log10(minNonZero)) - 1) : 1e-12;
  const top = max > 0 ? 10 ** Math.ceil(Math.log10(max) + 1e-9) : floor * 1e3;
  const rows: DiffRow[] = [];
  for (const step of displaySteps(n, maxPoints)) {
    const d = values[step - 1];
    if (d === undefined) continue;
    const row: DiffRow = { step, value: d };
    if (d === 0) row.zero = floor;
    else row.diff = Number.isFinite(d) ? d : top;
    rows.push(row);
  }
  return { rows, floor, top: Math.max(top, floor * 10), compared, zeros };
}

/**
 * About `count` round tick values covering [min, max] (steps of 1, 2 or 5
 * times a power of ten), with the domain they span. Computed here so the
 * chart does not derive them itself on every refresh.
 */
export function niceTicks(min: number, max: number, count: number): { ticks: number[]; domain: [number, number] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], domain: [0, 1] };
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) { min -= 0.5; max += 0.5; }
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] };
}

/** About `count` whole-number steps from 1 to n for the x axis, always including 1 and n. */
export function stepTicks(n: number, count: number): number[] {
  if (n <= 1) return [1];
  const { ticks } = niceTicks(0, n, count);
  return [...new Set([1, ...ticks.filter((t) => t > 1 && t < n && Number.isInteger(t)), n])];
}

/**
 * A number in scientific notation with `digits` decimals and an exponent of
 * at least two digits: 0 → "0.0000e+00", 1.5e-7 → "1.5000e-07".
 */
export function formatSci(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const [mantissa, exp] = x.toExponential(digits).split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** Steps per second over the samples within `windowMs` of the newest one, or null when there are too few. */
export function stepRate(samples: ReadonlyArray<{ timeMs: number; step: number }>, windowMs: number): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1];
  let first = samples[0];
  for (const s of samples) {
    if (last.timeMs - s.timeMs <= windowMs) { first = s; break; }
  }
  if (first === last) first = samples[samples.length - 2];
  const dt = last.timeMs - first.timeMs;
  const ds = last.step - first.step;
  return dt > 0 && ds > 0 ? (ds * 1000) / dt : null;
}

/** A duration for people: "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

