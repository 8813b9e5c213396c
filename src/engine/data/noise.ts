/** Gaussian input noise: a stochastic stage, so its stream is checkpointed. */
import type { RngStream } from '../rng';
import { withInputs, type Batch } from './batch';
import { RandomStage } from './state';

/** Adds independent N(0, sigma²) noise to every input value. */
export class Noise extends RandomStage {
  /** `sigma` is in the units the stage sees (standardised when it follows Normalize). */
  constructor(readonly sigma: number, rng: RngStream) {
    super('noise', rng);
    if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`Noise: sigma must be finite and ≥ 0, got ${sigma}`);
  }

  /** A noisy copy; draws one normal per value even when sigma is 0, so the stream's pace never depends on sigma. */
  apply(batch: Batch): Batch {
    const z = new Float64Array(batch.x.length);
    this.rng.fillNormals(z);
    const x = new Float32Array(batch.x.length);
    for (let i = 0; i < x.length; i++) x[i] = batch.x[i] + this.sigma * z[i];
    return withInputs(batch, x);
  }
}
