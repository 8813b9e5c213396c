/** Random translation of images, the classic cheap augmentation for digits. */
import { SHIFT_MAX_PX } from '../../core/constants';
import type { RngStream } from '../rng';
import { withInputs, type Batch } from './batch';
import { RandomStage } from './state';

/** Moves each image by a random whole-pixel offset in [−max, max] per axis, filling with zeros. */
export class Shift extends RandomStage {
  /** `maxPx` bounds the offset along each axis. */
  constructor(rng: RngStream, readonly maxPx = SHIFT_MAX_PX) {
    super('shift', rng);
    if (!(Number.isInteger(maxPx) && maxPx >= 0)) throw new RangeError(`Shift: maxPx must be a whole number ≥ 0, got ${maxPx}`);
  }

  /** A shifted copy; expects samples shaped [rows, cols, channels] and zero as background. */
  apply(batch: Batch): Batch {
    if (batch.shape.length !== 3) throw new RangeError(`Shift: needs [rows, cols, channels] samples, got [${batch.shape}]`);
    const [h, w, c] = batch.shape;
    const size = h * w * c;
    const x = new Float32Array(batch.x.length);
    for (let s = 0; s < batch.y.length; s++) {
      const dy = this.rng.nextInt(2 * this.maxPx + 1) - this.maxPx;
      const dx = this.rng.nextInt(2 * this.maxPx + 1) - this.maxPx;
      for (let r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
        for (let q = Math.max(0, dx); q < Math.min(w, w + dx); q++) {
          const to = s * size + (r * w + q) * c;
          const from = s * size + ((r - dy) * w + (q - dx)) * c;
          // An element loop: a subarray per pixel allocated ~25k objects a digits batch.
          for (let k = 0; k < c; k++) x[to + k] = batch.x[from + k];
        }
      }
    }
    return withInputs(batch, x);
  }
}
