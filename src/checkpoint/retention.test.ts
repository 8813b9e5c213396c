import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/errors';
import { planWrite, shouldSave, stepsToPrune } from './retention';

describe('stepsToPrune', () => {
  it.each([
    { existing: [], step: 10, keep: 3, prune: [] },
    { existing: [10, 20], step: 30, keep: 3, prune: [] },
    { existing: [10, 20, 30], step: 40, keep: 3, prune: [10] },
    { existing: [10, 20, 30, 40, 50], step: 60, keep: 3, prune: [10, 20, 30] },
    { existing: [30, 10, 20], step: 40, keep: 1, prune: [10, 20, 30] },
    { existing: [10, 20, 30], step: 20, keep: 3, prune: [] },
    { existing: [10, 20, 30], step: 30, keep: 2, prune: [10] },
    { existing: [10, 20, 30], step: 5, keep: 3, prune: [10] },
    { existing: [10, 10, 20], step: 30, keep: 2, prune: [10] },
    { existing: [10, 20], step: 30, keep: 100, prune: [] },
  ])('existing $existing + save $step, keep $keep → prune $prune', ({ existing, step, keep, prune }) => {
    expect(stepsToPrune(existing, step, keep)).toEqual(prune);
  });

  it('rejects a maxToKeep below 1 or not whole', () => {
    expect(() => stepsToPrune([1], 2, 0)).toThrow(InvalidInputError);
    expect(() => stepsToPrune([1], 2, 1.5)).toThrow(InvalidInputError);
  });
});

describe('shouldSave', () => {
  it.each([
    [10, 10, true], [20, 10, true], [15, 10, false], [0, 10, false],
    [7, 1, true], [10, 0, false], [0, 0, false],
  ])('step %i every %i → %s', (step, every, want) => {
    expect(shouldSave(step, every)).toBe(want);
  });
});

describe('planWrite', () => {
  const e = (step: number, slot: number) => ({ step, slot });
  it.each([
    { name: 'first save takes slot 0', existing: [], step: 10, keep: 3, plan: { slot: 0, removedSteps: [], freedSlots: [] } },
    { name: 'fills the lowest free slot', existing: [e(10, 0), e(20, 2)], step: 30, keep: 3, plan: { slot: 1, removedSteps: [], freedSlots: [] } },
    { name: 'overwrites the pruned slot', existing: [e(10, 1), e(20, 0), e(30, 2)], step: 40, keep: 3, plan: { slot: 1, removedSteps: [10], freedSlots: [] } },
    { name: 'a re-save overwrites its own slot', existing: [e(10, 0), e(20, 1)], step: 20, keep: 2, plan: { slot: 1, removedSteps: [20], freedSlots: [] } },
    { name: 'a smaller keep frees the other pruned slots', existing: [e(10, 0), e(20, 1), e(30, 2)], step: 40, keep: 1, plan: { slot: 0, removedSteps: [10, 20, 30], freedSlots: [1, 2] } },
  ])('$name', ({ existing, step, keep, plan }) => {
    expect(planWrite(existing, step, keep)).toEqual(plan);
  });

  it('never uses more than maxToKeep slots over a long run', () => {
    let entries: Array<{ step: number; slot: number }> = [];
    for (let step = 1; step <= 50; step++) {
      const p = planWrite(entries, step, 4);
      entries = [...entries.filter((c) => !p.removedSteps.includes(c.step)), { step, slot: p.slot }];
      expect(new Set(entries.map((c) => c.slot)).size).toBe(entries.length);
      expect(Math.max(...entries.map((c) => c.slot))).toBeLessThan(4);
    }
    expect(entries.map((c) => c.step)).toEqual([47, 48, 49, 50]);
  });
});
