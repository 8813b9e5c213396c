/** Helpers for engine tests (Node, TF.js cpu backend). */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type RunConfig } from '../core/config';

/** Selects TF.js's cpu backend once; Node tests run on it. */
export async function useCpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
}

/** A small, fast config for tests. */
export function testConfig(over: Partial<RunConfig> = {}): RunConfig {
  return { ...DEFAULT_CONFIG, samples: 64, hidden: [8], batch: 16, steps: 12, saveEverySteps: 3, backend: 'cpu', ...over };
}

/** Float32 values as their bit patterns, so -0, NaN payloads and denormals compare exactly. */
export function bits(a: Float32Array | number[]): number[] {
  return Array.from(new Uint32Array(Float32Array.from(a).buffer));
}
