/**
 * How each classic checkpointing mistake changes a run's checkpoint and
 * restore, so the session can reproduce it on purpose: parts left out of the
 * snapshot, a template from another model, a restore that is never written back.
 */
import type { Pitfall, RunConfig } from '../core/config';
import type { TrainState } from '../core/tree';
import { STATE_PARTS, type StatePart } from '../engine/trainer';

/** Parts of the state that a pitfall leaves out of the snapshot and the template. */
export function savedParts(pitfall: Pitfall): readonly StatePart[] {
  if (pitfall === 'omit-optimizer') return STATE_PARTS.filter((p) => p !== 'optimizer');
  if (pitfall === 'omit-pipeline') return STATE_PARTS.filter((p) => p !== 'pipeline');
  return STATE_PARTS;
}

/** The config the resume builds its template from: another model shape under 'template-mismatch'. */
export function templateConfig(config: RunConfig): RunConfig {
  return config.pitfall === 'template-mismatch' ? { ...config, hidden: config.hidden.map((h) => h * 2) } : config;
}

/** True when the pitfall restores through TF.js's own Adam and setWeights instead of the engine's. */
export function usesTfjsAdam(config: RunConfig): boolean {
  return config.pitfall === 'tfjs-setweights' && config.optimizer === 'adam';
}

/** The 'omit-update' half-restore: values land in a copy that nothing reads again (a forgotten `nnx.update`). */
export function replaceInto(copy: TrainState, saved: TrainState): void {
  Object.assign(copy, saved);
}
