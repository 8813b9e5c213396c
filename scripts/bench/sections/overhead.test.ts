import { describe, expect, it } from 'vitest';
import type { OverheadRun } from '../../../src/harness/bench/protocol';
import { overheadRows, overheadVerdicts } from './overhead';

const run = (over: Partial<OverheadRun>): OverheadRun => ({
  every: 0, yieldEveryStep: true, loopMs: [100, 100, 100], totalMs: [100, 100, 100], snapshotMs: [], encodeMs: [], commitMs: [],
  stepMs: [1, 1, 1], pendingAtLoopEnd: [0, 0, 0], maxStepsAtRisk: [100, 100, 100], savesPerRep: 0, ...over,
});

describe('overheadRows', () => {
  it('compares every interval with the app\'s loop without checkpoints, and counts steps at risk', () => {
    const rows = overheadRows({
      backend: 'wasm', model: 'spirals-mlp',
      result: {
        steps: 100, bytes: 1000, runs: [
          run({}),
          run({ every: 10, loopMs: [104, 104, 104], totalMs: [110, 120, 130], snapshotMs: [0.5, 0.5], encodeMs: [0.25, 0.25], commitMs: [5, 5], pendingAtLoopEnd: [10, 10, 5], maxStepsAtRisk: [100, 11, 100], savesPerRep: 10 }),
        ],
      },
    });
    expect(rows).toHaveLength(2);
    expect(rows[0].blockedMs).toBe(0);
    expect(rows[0].meetsTarget).toBeNull();
    const ten = rows[1];
    expect(ten.ratioLoop).toBeCloseTo(100 / 104, 12);
    expect(ten.ratioDrained).toBeCloseTo(100 / 120, 12);
    expect(ten.blockedMs).toBe(0.75);
    expect(ten.pendingShare).toBe(1);
    expect(ten.stepsAtRisk).toBe(100);
    expect(ten.meetsTarget).toBe(false);
  });

  it('refuses results without a baseline', () => {
    expect(() => overheadRows({ backend: 'cpu', model: 'spirals-mlp', result: { steps: 1, bytes: 1, runs: [run({ every: 1 })] } })).toThrow(/no run without checkpoints/);
  });
});

describe('overheadVerdicts', () => {
  it('judges every-10 (citing the run without the yield) and the blocked time at the most frequent interval', () => {
    const rows = overheadRows({
      backend: 'wasm', model: 'spirals-mlp',
      result: {
        steps: 100, bytes: 1000, runs: [
          run({}),
          run({ every: 1, totalMs: [200, 200, 200], snapshotMs: [0.5], encodeMs: [1], savesPerRep: 100 }),
          run({ every: 10, totalMs: [102, 102, 102], snapshotMs: [0.5], encodeMs: [0.25], maxStepsAtRisk: [12, 12, 12], savesPerRep: 10 }),
          run({ every: 10, yieldEveryStep: false, totalMs: [125, 125, 125], snapshotMs: [0.5], encodeMs: [0.25], maxStepsAtRisk: [100, 100, 100], savesPerRep: 10 }),
        ],
      },
    });
    const verdicts = overheadVerdicts(rows);
    expect(verdicts.map((v) => [v.target, v.met])).toEqual([
      ['every-10 costs ≤ 5% (wasm, spirals-mlp)', true],
      ['blocked per checkpoint ≤ one step (wasm, spirals-mlp)', false],
    ]);
    expect(verdicts[0].detail).toContain('steps/s ratio 0.980 with commits drained');
    expect(verdicts[0].detail).toContain('up to 12 of 100 steps');
    expect(verdicts[0].detail).toContain('without the per-step yield: 0.800 drained, up to 100 steps at risk');
    expect(verdicts[1].detail).toBe('1.50 ms blocked (snapshot 0.50 + encode 1.00) vs 1.00 ms step');
  });
});
