/**
 * What each pitfall does, in words for the playground: a label, one sentence
 * on what goes wrong and why, and what the resume is missing.
 */
import type { Pitfall } from '../core/config';

/** How the playground describes a pitfall. */
export interface PitfallInfo {
  /** Short label for the picker. */
  label: string;
  /** One sentence: what goes wrong and why. */
  what: string;
  /** What the resumed run lacks (for the verdict), or null for the correct restore. */
  missing: string | null;
}

/** Descriptions of every pitfall, in PITFALLS order. */
export const PITFALL_INFO: Record<Pitfall, PitfallInfo> = {
  none: {
    label: 'None: the correct restore',
    what: 'Model, optimizer and data pipeline are saved together, checked against fresh objects and written back, so the resumed run repeats the reference bit for bit.',
    missing: null,
  },
  'omit-optimizer': {
    label: 'Forget the optimizer state',
    what: 'Only the weights and the data pipeline are saved, so the optimizer restarts from zero (Adam’s moments and step count, momentum’s velocity) and the first resumed updates take a different size and direction.',
    missing: 'the optimizer state (Adam moments / momentum velocity and the step count) was not in the checkpoint',
  },
  'omit-pipeline': {
    label: 'Forget the data pipeline',
    what: 'Model and optimizer are saved but not the sampler and random streams, so the resumed run starts again at epoch 0, cursor 0 and sees different batches and noise than the reference did.',
    missing: 'the data pipeline state (sampler epoch and cursor, RNG counters) was not in the checkpoint',
  },
  'omit-update': {
    label: 'Forget to write the state back',
    what: 'The checkpoint is read against a template but never written into the live objects, so training silently continues from freshly initialised weights and an empty optimizer.',
    missing: 'the restored state was never written back into the live model, optimizer and pipeline',
  },
  'tfjs-setweights': {
    label: 'Restore TF.js’s Adam with setWeights',
    what: 'TF.js’s own Adam rebuilds its bias-correction accumulators with pow(β, t) instead of the running product it trained with, so they come back a few ulps off and the resumed run slowly drifts.',
    missing: 'TF.js’s Adam.setWeights recomputed its accumulators instead of restoring them bit for bit',
  },
  'template-mismatch': {
    label: 'Restore into a different model',
    what: 'The restore template is built with hidden layers twice as wide; the checkpoint is checked against it before anything is applied, so the restore is refused with a StructureMismatchError naming every mismatched path.',
    missing: 'the fresh model does not have the shape of the one that was saved',
  },
};
