/**
 * The models the bench measures: the ones the app offers, as run configs.
 * Everything not named here is the app's default (Adam, batch 32, tanh,
 * input noise), so the bench trains what a person gets by default.
 */
import { DEFAULT_CONFIG, type BackendName, type RunConfig } from '../../core/config';
import type { ModelShape } from './flops';

/** Keys of the bench's models. */
export const BENCH_MODELS = ['spirals-mlp', 'digits-mlp', 'digits-cnn'] as const;
/** Key of a bench model. */
export type BenchModelKey = (typeof BENCH_MODELS)[number];

/** The run config of a bench model on a backend. */
export function benchConfig(key: BenchModelKey, backend: BackendName, overrides: Partial<RunConfig> = {}): RunConfig {
  const base: RunConfig = { ...DEFAULT_CONFIG, backend, saveEverySteps: 0, steps: 100_000 };
  switch (key) {
    case 'spirals-mlp': return { ...base, dataset: 'spirals', model: 'mlp', hidden: [32, 32], ...overrides };
    case 'digits-mlp': return { ...base, dataset: 'digits', model: 'mlp', hidden: [128], ...overrides };
    case 'digits-cnn': return { ...base, dataset: 'digits', model: 'cnn', hidden: [32], ...overrides };
  }
}

/** Shape of a config's model, for FLOP and parameter counts. */
export function shapeOf(config: Pick<RunConfig, 'dataset' | 'model' | 'hidden'>): ModelShape {
  const digits = config.dataset === 'digits';
  return {
    model: config.model,
    hidden: config.hidden,
    sampleShape: digits ? [28, 28, 1] : [2],
    numClasses: digits ? 10 : config.dataset === 'spirals' || config.dataset === 'gaussians' ? 3 : 2,
  };
}
