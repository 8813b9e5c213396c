/**
 * Which checkpoints to keep: pure functions, so the policy is tested without
 * a database and applied inside the same transaction that writes a checkpoint.
 */
import { InvalidInputError } from '../core/errors';

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

/** Where a new checkpoint goes and what the same transaction deletes (see planWrite). */
export interface WritePlan {
  /** Slot the new checkpoint is written to (overwriting what a pruned or replaced checkpoint left there). */
  slot: number;
  /** Steps leaving the manifest: pruned, or replaced by a re-save of the same step. */
  removedSteps: number[];
  /** Slots of removed checkpoints that the new one does not overwrite: their keys are deleted. */
  freedSlots: number[];
}

/**
 * Plans the slots of a save of `newStep` into a run whose manifest lists
 * `existing`, keeping `maxToKeep`. The new checkpoint overwrites the slot of
 * the one it replaces or prunes, because IndexedDB overwrites a value faster
 * than it writes a new key and deletes an old one; otherwise it takes the
 * lowest free slot. So a run uses at most maxToKeep slots.
 */
export function planWrite(existing: ReadonlyArray<{ step: number; slot: number }>, newStep: number, maxToKeep: number): WritePlan {
  const pruned = stepsToPrune(existing.map((c) => c.step), newStep, maxToKeep);
  const removed = existing.filter((c) => c.step === newStep || pruned.includes(c.step));
  // The replaced step's slot first, then the oldest pruned one's.
  let slot = [...removed].sort((a, b) => Number(b.step === newStep) - Number(a.step === newStep) || a.step - b.step)[0]?.slot;
  if (slot === undefined) {
    const taken = new Set(existing.filter((c) => !removed.includes(c)).map((c) => c.slot));
    slot = 0;
    while (taken.has(slot)) slot++;
  }
  return {
    slot,
    removedSteps: removed.map((c) => c.step).sort((a, b) => a - b),
    freedSlots: removed.flatMap((c) => (c.slot !== slot ? [c.slot] : [])).sort((a, b) => a - b),
  };
}
