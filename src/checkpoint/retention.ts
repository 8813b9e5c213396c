/**
 * Which checkpoints to keep: pure functions, so the policy is tested without
 * a database and applied inside the same transaction that writes a checkpoint.
 */
import { InvalidInputError } from '../engine/errors';

/**
 * Steps among `existingSteps` to delete when `newStep` is saved, keeping
 * `maxToKeep` checkpoints in all. The new checkpoint is always kept (a save is
 * never silently discarded), the others are kept newest step first, and a
 * re-save of an existing step replaces it rather than counting twice.
 */
export function stepsToPrune(existingSteps: number[], newStep: number, maxToKeep: number): number[] {
  if (!Number.isInteger(maxToKeep) || maxToKeep < 1) {
    throw new InvalidInputError(`maxToKeep must be a whole number of at least 1, got ${maxToKeep}`, { maxToKeep });
  }
  const others = [...new Set(existingSteps)].filter((s) => s !== newStep).sort((a, b) => b - a);
  return others.slice(maxToKeep - 1).sort((a, b) => a - b);
}

/** True when a checkpoint is due after `step` completed steps; `everySteps` 0 means never, and step 0 (nothing trained yet) is never saved. */
export function shouldSave(step: number, everySteps: number): boolean {
  return everySteps > 0 && step > 0 && step % everySteps === 0;
}
