/**
 * Whether a pitfall can change a run at all, decided from the config alone,
 * so that a mistake that cannot bite is said so before the run and never
 * reported as a success after it. The session, the page and `verify` all ask here.
 */
import type { OptimizerKind, Pitfall, RunConfig } from './config';

/** How sure it is that a pitfall changes the resumed run. */
export type Bite = 'always' | 'never' | 'sometimes';

/** What a pitfall does with a config. */
export interface PitfallEffect {
  /** 'always': the resume diverges or is refused; 'never': it cannot change a bit here; 'sometimes': it depends on the restore step. */
  bites: Bite;
  /** One sentence: why, for this config. */
  why: string;
  /** The nearest setting where it bites (shown with a button that applies it), when `bites` is not 'always'. */
  nearest?: { change: Partial<Pick<RunConfig, 'optimizer'>>; text: string } | { crashAfterStep: number; text: string };
}

/** The smallest restore step from which TF.js's pow(β, t) and the running product round apart on the backends tried. */
export const TFJS_ADAM_DRIFT_FROM_STEP = 15;

const STATEFUL: readonly OptimizerKind[] = ['momentum', 'adam'];

/** The effect of `config.pitfall` on a resume of `config`; null for the correct pattern. */
export function pitfallEffect(config: Pick<RunConfig, 'pitfall' | 'optimizer'>): PitfallEffect | null {
  const { pitfall, optimizer } = config;
  switch (pitfall) {
    case 'none':
      return null;
    case 'omit-optimizer':
      return STATEFUL.includes(optimizer)
        ? { bites: 'always', why: `${optimizer === 'adam' ? "Adam's moments and step count restart" : 'the momentum restarts'} from zero after the restore.` }
        : {
          bites: 'never', why: 'plain SGD keeps no state but a step counter it never reads, so leaving it out of the checkpoint changes nothing.',
          nearest: { change: { optimizer: 'momentum' }, text: 'Use SGD + momentum (its velocity is state that must be saved).' },
        };
    case 'tfjs-setweights':
      return optimizer === 'adam'
        ? {
          bites: 'sometimes',
          why: `TF.js's Adam recomputes β^t with pow when its weights are set; at small steps pow rounds to the same float32 as the running product, so a restore before step ${TFJS_ADAM_DRIFT_FROM_STEP} may come back exact.`,
          nearest: { crashAfterStep: TFJS_ADAM_DRIFT_FROM_STEP, text: `Crash after step ${TFJS_ADAM_DRIFT_FROM_STEP} or later.` },
        }
        : {
          bites: 'never', why: `only TF.js's Adam recomputes state in setWeights; ${optimizer === 'sgd' ? 'SGD' : 'SGD + momentum'} is restored exactly.`,
          nearest: { change: { optimizer: 'adam' }, text: 'Use Adam.' },
        };
    case 'omit-pipeline':
      return { bites: 'always', why: 'the sampler starts the data from the beginning again, so the resumed run sees other batches.' };
    case 'omit-update':
      return { bites: 'always', why: 'the restored values land in a copy and the model goes on from fresh weights.' };
    case 'template-mismatch':
      return { bites: 'always', why: 'the template has another shape, so the restore is refused before anything is applied.' };
  }
}

/** Why a resume under `pitfall` came out bit-exact: the verdict's words for "the mistake had no visible effect here". */
export function noEffectReason(config: Pick<RunConfig, 'pitfall' | 'optimizer'>, restoredFrom: number): string {
  const effect = pitfallEffect(config);
  if (!effect) return '';
  if (config.pitfall === 'tfjs-setweights' && config.optimizer === 'adam') {
    return `at step ${restoredFrom} TF.js's pow(β, t) rounded to the same float32 as the running product it replaces, so setWeights restored the same bits; crash after step ${Math.max(TFJS_ADAM_DRIFT_FROM_STEP, restoredFrom + 1)} to see it drift.`;
  }
  return effect.why;
}

/** A pitfall's name as a sentence fragment, for messages. */
export const PITFALL_TITLES: Readonly<Record<Pitfall, string>> = {
  none: 'the correct restore',
  'omit-optimizer': 'forgetting the optimizer state',
  'omit-pipeline': 'forgetting the data pipeline',
  'omit-update': 'forgetting to write the restored state back',
  'tfjs-setweights': "restoring TF.js's Adam through setWeights",
  'template-mismatch': 'restoring into a model of another shape',
};
