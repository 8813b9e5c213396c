import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../protocol';
import { comparedCurve, diffRows, displaySteps, emptyCurves, formatDuration, formatSci, lossAxis, lossRows, mergeSteps, niceTicks, stepRate, stepTicks } from './series';

const step = (phase: 'reference' | 'checkpointed' | 'resumed', s: number, loss: number): SessionEvent =>
  ({ type: 'step', runId: 'r', phase, step: s, totalSteps: 10, loss });

describe('mergeSteps', () => {
  it('puts each step of each phase at index step − 1 and ignores other events', () => {
    const a = mergeSteps(emptyCurves(), [
      step('reference', 1, 1.0), step('reference', 2, 0.9),
      { type: 'phase', runId: 'r', phase: 'checkpointed', fromStep: 0, totalSteps: 10 },
      step('checkpointed', 1, 1.0),
    ]);
    expect(a).toEqual({ reference: [1.0, 0.9], checkpointed: [1.0], resumed: [] });
    const b = mergeSteps(a, [step('resumed', 3, 0.5)]);
    expect(b.resumed[2]).toBe(0.5);
    expect(b.resumed).toHaveLength(3);
  });

  it('does not mutate its input and shares untouched curves', () => {
    const a = mergeSteps(emptyCurves(), [step('reference', 1, 1)]);
    const b = mergeSteps(a, [step('checkpointed', 1, 2)]);
    expect(a.checkpointed).toEqual([]);
    expect(b.reference).toBe(a.reference);
    expect(b.checkpointed).not.toBe(a.checkpointed);
  });
});

describe('displaySteps', () => {
  it('keeps every step of short curves', () => {
    expect(displaySteps(5, 600)).toEqual([1, 2, 3, 4, 5]);
    expect(displaySteps(0, 600)).toEqual([]);
  });
  it('thins long curves but keeps ends and markers', () => {
    const s = displaySteps(10_000, 100, [4321]);
    expect(s.length).toBeLessThanOrEqual(103);
    expect(s[0]).toBe(1);
    expect(s.at(-1)).toBe(10_000);
    expect(s).toContain(4321);
  });
});

describe('lossRows', () => {
  const curves = {
    reference: [1, 0.9, 0.8, 0.7, 0.6, 0.5],
    checkpointed: [1, 0.9, 0.8, 0.7, 0.6],
    resumed: [undefined, undefined, undefined, 0.7, 0.6, 0.5] as unknown as number[],
  };
  it('draws the crashed curve up to the crash and the resumed one from the restore step', () => {
    const rows = lossRows(curves, { crashAtStep: 5, restoreStep: 3 }, 600);
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[4]).toEqual({ step: 5, reference: 0.6, crashed: 0.6, resumed: 0.6 });
    // The resumed curve starts at the restored step with the checkpointed loss.
    expect(rows[2]).toEqual({ step: 3, reference: 0.8, crashed: 0.8, resumed: 0.8 });
    expect(rows[1].resumed).toBeUndefined();
    expect(rows[5].crashed).toBeUndefined();
  });
  it('cuts the checkpointed curve at the crash even if more was recorded', () => {
    const rows = lossRows(curves, { crashAtStep: 2, restoreStep: null }, 600);
    expect(rows.filter((r) => r.crashed !== undefined).map((r) => r.step)).toEqual([1, 2]);
    expect(rows.some((r) => r.resumed !== undefined)).toBe(false);
  });
});

describe('comparedCurve and diffRows', () => {
  it('compares the checkpointed run up to the restore and the resumed run after it', () => {
    const c = comparedCurve({ reference: [], checkpointed: [1, 2, 3, 4], resumed: [9, 9, 9, 5, 6] }, 2);
    expect(c).toEqual([1, 2, 9, 5, 6]);
    expect(comparedCurve({ reference: [], checkpointed: [1, 2], resumed: [] }, null)).toEqual([1, 2]);
    // A lost crashed curve: the resumed curve's copy of the restored steps fills in.
    expect(comparedCurve({ reference: [], checkpointed: [], resumed: [1, 2, 3] }, 2)).toEqual([1, 2, 3]);
  });

  it('draws exact zeros at a floor below the smallest difference, never as log(0)', () => {
    const v = diffRows([1, 1, 1, 1], [1, 1 + 2e-7, 1, 1.5], 600);
    expect(v.compared).toBe(4);
    expect(v.zeros).toBe(2);
    expect(v.floor).toBeCloseTo(1e-8, 20);
    expect(v.top).toBe(1);
    expect(v.rows[0]).toEqual({ step: 1, zero: v.floor, value: 0 });
    expect(v.rows[1].diff).toBeCloseTo(2e-7, 12);
    expect(v.rows[1].zero).toBeUndefined();
    expect(v.rows[3].diff).toBe(0.5);
  });

  it('all zeros: a fixed floor and every row in the zero band', () => {
    const v = diffRows([0.5, 0.4], [0.5, 0.4], 600);
    expect(v.floor).toBe(1e-12);
    expect(v.zeros).toBe(2);
    expect(v.rows.every((r) => r.zero === v.floor && r.diff === undefined)).toBe(true);
    expect(v.top).toBeGreaterThan(v.floor);
  });

  it('skips steps where either curve has no value yet', () => {
    const v = diffRows([1, 2, 3], [1], 600);
    expect(v.rows).toHaveLength(1);
  });
});

describe('formats', () => {
  it('formatSci uses a two-digit exponent', () => {
    expect(formatSci(0)).toBe('0.0000e+00');
    expect(formatSci(1.5e-7)).toBe('1.5000e-07');
    expect(formatSci(123456)).toBe('1.2346e+05');
    expect(formatSci(1e-123)).toBe('1.0000e-123');
    expect(formatSci(Infinity)).toBe('∞');
    expect(formatSci(NaN)).toBe('NaN');
  });
  it('formatDuration', () => {
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(3720)).toBe('1 h 2 min');
    expect(formatDuration(Infinity)).toBe('—');
  });
});

describe('stepRate', () => {
  it('measures over the recent window', () => {
    const samples = [{ timeMs: 0, step: 0 }, { timeMs: 5000, step: 10 }, { timeMs: 6000, step: 20 }, { timeMs: 7000, step: 30 }];
    expect(stepRate(samples, 3000)).toBe(10);
    expect(stepRate(samples.slice(0, 1), 3000)).toBeNull();
  });
  it('falls back to the last two samples when the window holds one', () => {
    expect(stepRate([{ timeMs: 0, step: 0 }, { timeMs: 10_000, step: 50 }], 1000)).toBe(5);
  });
});

describe('ticks', () => {
  it('lossAxis starts at 0 and keeps its ticks while the loss falls', () => {
    const early = lossAxis([{ step: 1, reference: 1.31 }, { step: 2, reference: 0.9, crashed: 0.9 }]);
    expect(early.domain).toEqual([0, 1.5]);
    const later = lossAxis([{ step: 1, reference: 1.31 }, { step: 50, reference: 0.05, crashed: 0.05, resumed: 0.04 }]);
    expect(later.ticks).toEqual(early.ticks);
    expect(lossAxis([{ step: 1, reference: -0.5 }, { step: 2, reference: 0.5 }]).domain[0]).toBeLessThanOrEqual(-0.5);
    expect(lossAxis([{ step: 1, reference: Infinity }, { step: 2 }])).toEqual({ ticks: [0, 1], domain: [0, 1] });
  });
  it('lossAxis with a minimum top is already where the first losses fall, and still grows past them', () => {
    const top = 1.5 * Math.log(3);
    const empty = lossAxis([], top);
    expect(empty.domain[1]).toBeGreaterThanOrEqual(top);
    // The first losses of a 3-class run, near ln 3: the axis does not move (without the minimum it would: [0, 1] to [0, 1.5]).
    expect(lossAxis([{ step: 1, reference: 1.31 }, { step: 2, reference: 1.1 }], top)).toEqual(empty);
    expect(lossAxis([])).not.toEqual(lossAxis([{ step: 1, reference: 1.31 }]));
    // A diverging run still gets an axis that holds it.
    expect(lossAxis([{ step: 1, reference: 7.2 }], top).domain[1]).toBeGreaterThanOrEqual(7.2);
  });
  it('niceTicks covers the range with round steps', () => {
    expect(niceTicks(0.53, 1.31, 5)).toEqual({ ticks: [0.4, 0.6, 0.8, 1, 1.2, 1.4], domain: [0.4, 1.4] });
    expect(niceTicks(0, 100, 6).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    const flat = niceTicks(2, 2, 5);
    expect(flat.domain[0]).toBeLessThan(2);
    expect(flat.domain[1]).toBeGreaterThan(2);
    expect(niceTicks(NaN, 1, 5).ticks).toEqual([0, 1]);
  });
  it('stepTicks are whole steps from 1 to n', () => {
    expect(stepTicks(40, 10)).toEqual([1, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(stepTicks(40, 8)).toEqual([1, 10, 20, 30, 40]);
    expect(stepTicks(1, 8)).toEqual([1]);
    expect(stepTicks(7, 8)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
