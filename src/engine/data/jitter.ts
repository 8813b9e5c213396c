/** Random per-sample scaling of 2-D points: the shift stage's counterpart for synthetic data. */
import { JITTER_MAX_FRACTION } from '../../core/constants';
import type { RngStream } from '../rng';
import { withInputs, type Batch } from './batch';
import { RandomStage } from './state';

/** Multiplies every sample by its own random factor in [1 − f, 1 + f). */
export class Jitter extends RandomStage {
  /** `maxFraction` is f, the half-width of the scale range. */
  constructor(rng: RngStream, readonly maxFraction = JITTER_MAX_FRACTION) {
    super('jitter', rng);
    if (!(maxFraction >= 0 && maxFraction < 1)) throw new RangeError(`Jitter: maxFraction must lie in [0, 1), got ${maxFraction}`);
  }

  /** A scaled copy; scaling is about the origin, which after Normalize is the data mean. */
  apply(batch: Batch): Batch {
    const n = batch.y.length;
    const f = n === 0 ? 0 : batch.x.length / n;
    const x = new Float32Array(batch.x.length);
    for (let s = 0; s < n; s++) {
      const scale = 1 + this.maxFraction * (2 * this.rng.nextFloat() - 1);
      for (let j = s * f; j < (s + 1) * f; j++) x[j] = batch.x[j] * scale;
    }
    return withInputs(batch, x);
  }
}
