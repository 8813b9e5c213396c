/**
 * Standardisation with statistics of the training split, fitted once: the
 * test split and UI inputs go through the same map, and no test statistic
 * leaks into training.
 */
import { featureCount, withInputs, type Batch, type Split } from './batch';
import type { Stage } from './state';

// Constant features (blank pixels) would divide by zero; they are only centred.
const MIN_STD = 1e-6;

/** Subtracts the train mean and divides by the train standard deviation. */
export class Normalize implements Stage {
  /** Key of this stage (it has no state: its statistics follow from the source). */
  readonly name = 'normalize';
  /** Mean per statistic group: one per feature, or a single global one. */
  readonly mean: Float64Array;
  /** Standard deviation per statistic group (MIN_STD-floored to 1). */
  readonly std: Float64Array;

  /** Fits on `train`; `perFeature` gives each feature its own statistics (points) instead of one shared pair (pixels). */
  constructor(train: Split, shape: number[], perFeature: boolean) {
    const f = featureCount(shape);
    const groups = perFeature ? f : 1;
    const sum = new Float64Array(groups);
    const sumSq = new Float64Array(groups);
    for (let i = 0; i < train.n * f; i++) {
      const g = perFeature ? i % f : 0;
      sum[g] += train.x[i];
      sumSq[g] += train.x[i] * train.x[i];
    }
    const count = (train.n * f) / groups;
    this.mean = sum.map((s) => s / count);
    this.std = sumSq.map((s, g) => {
      const sd = Math.sqrt(Math.max(0, s / count - this.mean[g] ** 2));
      return sd < MIN_STD ? 1 : sd;
    });
  }

  /** A standardised copy of the batch. */
  apply(batch: Batch): Batch {
    const groups = this.mean.length;
    const x = new Float32Array(batch.x.length);
    for (let i = 0; i < x.length; i++) {
      const g = i % groups;
      x[i] = (batch.x[i] - this.mean[g]) / this.std[g];
    }
    return withInputs(batch, x);
  }
}
