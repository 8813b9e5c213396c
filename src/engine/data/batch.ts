/**
 * Batches and splits: plain typed arrays, so the pipeline needs no TF.js and
 * the trainer decides when values become tensors.
 */

/** A set of labelled samples stored row-major. */
export interface Split {
  /** Inputs: `n` × features values, sample after sample. */
  x: Float32Array;
  /** Class label of each sample. */
  y: Int32Array;
  /** Number of samples. */
  n: number;
}

/** One batch as the trainer receives it. */
export interface Batch {
  /** Inputs: batch size × features values, sample after sample. */
  x: Float32Array;
  /** Class label of each sample. */
  y: Int32Array;
  /** Shape of one sample: [2] for points, [28, 28, 1] for digits. */
  shape: number[];
  /** Row of the source split each sample came from (for debugging and tests). */
  indices: Int32Array;
}

/** Number of values in one sample of the given shape. */
export function featureCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Copies the given rows of a split into fresh arrays, so stages can never reach the source. */
export function gatherBatch(split: Split, indices: Int32Array, shape: number[]): Batch {
  const f = featureCount(shape);
  const x = new Float32Array(indices.length * f);
  const y = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < split.n)) throw new RangeError(`gatherBatch: index ${i} outside 0..${split.n - 1}`);
    x.set(split.x.subarray(i * f, (i + 1) * f), k * f);
    y[k] = split.y[i];
  }
  return { x, y, shape: [...shape], indices: indices.slice() };
}

/** The batch with new inputs; labels and indices are shared because no stage writes them. */
export function withInputs(batch: Batch, x: Float32Array): Batch {
  return { x, y: batch.y, shape: batch.shape, indices: batch.indices };
}
