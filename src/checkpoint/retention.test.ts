import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../engine/errors';
import { shouldSave, stepsToPrune } from './retention';

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
