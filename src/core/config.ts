/**
 * Run configuration: what a run trains on and how, its defaults, validation
 * with a reason per field, and the fingerprint that a checkpoint must match.
 */
import {
  MAX_TO_KEEP_DEFAULT, SAVE_EVERY_STEPS_DEFAULT, SYNTHETIC_SAMPLES_DEFAULT, TOTAL_STEPS_DEFAULT,
} from './constants';
import { InvalidInputError } from './errors';

/** Synthetic 2-D datasets plus MNIST digits. */
export const DATASETS = ['spirals', 'moons', 'circles', 'xor', 'gaussians', 'digits'] as const;
/** Name of a dataset. */
export type DatasetName = (typeof DATASETS)[number];
/** Classes of each dataset (the labels lie in [0, classes)). */
export const DATASET_CLASSES: Readonly<Record<DatasetName, number>> = { spirals: 3, moons: 2, circles: 2, xor: 2, gaussians: 3, digits: 10 };
/** Model families. */
export const MODELS = ['mlp', 'cnn'] as const;
/** Name of a model family. */
export type ModelKind = (typeof MODELS)[number];
/** Optimizers the engine implements (with named, checkpointable state). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** Name of an optimizer. */
export type OptimizerKind = (typeof OPTIMIZERS)[number];
/** TF.js backends in fallback order. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** Name of a TF.js backend. */
export type BackendName = (typeof BACKENDS)[number];
/** Hidden-layer activations. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
/** Name of an activation. */
export type Activation = (typeof ACTIVATIONS)[number];
/** The classic checkpointing mistakes, reproducible on purpose. */
export const PITFALLS = ['none', 'omit-optimizer', 'omit-pipeline', 'omit-update', 'tfjs-setweights', 'template-mismatch'] as const;
/** Name of a pitfall ('none' = correct restore). */
export type Pitfall = (typeof PITFALLS)[number];

/** Everything that defines a run. */
export interface RunConfig {
  /** Dataset to train on. */
  dataset: DatasetName;
  /** Number of generated samples for synthetic datasets (ignored for digits). */
  samples: number;
  /** Model family; 'cnn' needs the digits dataset. */
  model: ModelKind;
  /** Hidden layer widths of the MLP (and of the CNN's dense head). */
  hidden: number[];
  /** Hidden-layer activation. */
  activation: Activation;
  /** Optimizer. */
  optimizer: OptimizerKind;
  /** Learning rate. */
  lr: number;
  /** Samples per batch. */
  batch: number;
  /** Seed for every random stream (params, shuffle, each stochastic stage). */
  seed: number;
  /** Total training steps. */
  steps: number;
  /** Checkpoint every this many steps (0 = never). */
  saveEverySteps: number;
  /** Checkpoints kept per run. */
  maxToKeep: number;
  /** Requested backend; the engine falls back webgpu → webgl → wasm → cpu and reports what runs. */
  backend: BackendName;
  /** Standard deviation of the Gaussian input-noise stage (0 disables it). */
  inputNoise: number;
  /** The checkpointing mistake the run makes on purpose ('none' for the correct pattern). */
  pitfall: Pitfall;
}

/** Defaults small enough to finish quickly on WebGPU emulated on a CPU. */
export const DEFAULT_CONFIG: RunConfig = {
  dataset: 'spirals',
  samples: SYNTHETIC_SAMPLES_DEFAULT,
  model: 'mlp',
  hidden: [32, 32],
  activation: 'tanh',
  optimizer: 'adam',
  lr: 0.01,
  batch: 32,
  seed: 0,
  steps: TOTAL_STEPS_DEFAULT,
  saveEverySteps: SAVE_EVERY_STEPS_DEFAULT,
  maxToKeep: MAX_TO_KEEP_DEFAULT,
  backend: 'webgpu',
  inputNoise: 0.02,
  pitfall: 'none',
};

/** One invalid field and why. */
export interface FieldProblem {
  /** Config key. */
  field: keyof RunConfig;
  /** Reason, phrased for the person who typed it. */
  reason: string;
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

/** Every problem with a config (empty when valid). */
export function configProblems(c: RunConfig): FieldProblem[] {
  const p: FieldProblem[] = [];
  const bad = (field: keyof RunConfig, reason: string) => p.push({ field, reason });
  if (!DATASETS.includes(c.dataset)) bad('dataset', `unknown dataset; choose one of ${DATASETS.join(', ')}`);
  if (!MODELS.includes(c.model)) bad('model', `unknown model; choose ${MODELS.join(' or ')}`);
  if (c.model === 'cnn' && c.dataset !== 'digits') bad('model', 'the CNN needs images: use it with the digits dataset');
  // TF.js 4.22's wasm backend registers no Conv2DBackpropFilter kernel: a CNN cannot train there.
  if (c.model === 'cnn' && c.backend === 'wasm') bad('backend', 'the CNN cannot train on wasm (TF.js has no convolution gradient there): choose webgpu, webgl or cpu');
  if (!OPTIMIZERS.includes(c.optimizer)) bad('optimizer', `unknown optimizer; choose one of ${OPTIMIZERS.join(', ')}`);
  if (!BACKENDS.includes(c.backend)) bad('backend', `unknown backend; choose one of ${BACKENDS.join(', ')}`);
  if (!ACTIVATIONS.includes(c.activation)) bad('activation', `unknown activation; choose one of ${ACTIVATIONS.join(', ')}`);
  if (!Array.isArray(c.hidden) || c.hidden.length < 1 || c.hidden.length > 4 || !c.hidden.every((h) => isInt(h) && h >= 1 && h <= 1024)) {
    bad('hidden', 'give 1 to 4 layer widths, each a whole number from 1 to 1024');
  }
  if (!(typeof c.lr === 'number' && c.lr > 0 && c.lr <= 10)) bad('lr', 'the learning rate must be above 0 and at most 10');
  if (!(isInt(c.batch) && c.batch >= 1 && c.batch <= 1024)) bad('batch', 'the batch size must be a whole number from 1 to 1024');
  if (!(isInt(c.seed) && c.seed >= 0 && c.seed <= 2 ** 31 - 1)) bad('seed', 'the seed must be a whole number from 0 to 2147483647');
  if (!(isInt(c.steps) && c.steps >= 1 && c.steps <= 100_000)) bad('steps', 'total steps must be a whole number from 1 to 100000');
  if (!(isInt(c.saveEverySteps) && c.saveEverySteps >= 0 && c.saveEverySteps <= 100_000)) bad('saveEverySteps', 'the checkpoint interval must be a whole number of steps, 0 for never');
  if (!(isInt(c.maxToKeep) && c.maxToKeep >= 1 && c.maxToKeep <= 100)) bad('maxToKeep', 'keep between 1 and 100 checkpoints');
  if (!(isInt(c.samples) && c.samples >= 16 && c.samples <= 100_000)) bad('samples', 'synthetic datasets need 16 to 100000 samples');
  if (isInt(c.samples) && isInt(c.batch) && c.dataset !== 'digits' && c.batch > c.samples) bad('batch', 'the batch cannot be larger than the dataset');
  if (!(typeof c.inputNoise === 'number' && c.inputNoise >= 0 && c.inputNoise <= 1)) bad('inputNoise', 'input noise must be between 0 and 1');
  if (!PITFALLS.includes(c.pitfall)) bad('pitfall', `unknown pitfall; choose one of ${PITFALLS.join(', ')}`);
  return p;
}

/** Throws InvalidInputError naming every bad field. */
export function assertValidConfig(c: RunConfig): void {
  const problems = configProblems(c);
  if (problems.length > 0) {
    throw new InvalidInputError(
      `Invalid run configuration: ${problems.map((q) => `${q.field}: ${q.reason}`).join('; ')}`,
      { problems },
    );
  }
}

/**
 * The part of a config that fixes the shape and meaning of the checkpointed
 * state. A checkpoint restores only into a template with the same fingerprint.
 */
export function stateFingerprint(c: RunConfig): Record<string, string | number> {
  return {
    dataset: c.dataset,
    samples: c.dataset === 'digits' ? 0 : c.samples,
    model: c.model,
    hidden: c.hidden.join('x'),
    activation: c.activation,
    optimizer: c.optimizer,
    batch: c.batch,
  };
}
