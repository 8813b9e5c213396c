/**
 * Counting the arithmetic of a training step, and sizing models by parameter
 * count. Mirrors src/engine/model.ts (an MLP, or two 3×3 'same' convolutions
 * with 8 and 16 filters, each followed by 2×2 max-pooling, then the dense
 * head); the bench worker checks `parameterCount` against the engine's own
 * model at run time, so a drift between the two is caught.
 *
 * Convention: a matmul [m, k] × [k, n] costs 2·m·k·n FLOPs forward; backward
 * costs two more matmuls of the same size (dX and dW), so a training step
 * counts 3× the forward matmul FLOPs. A convolution counts as its im2col
 * matmul: m = batch·outH·outW, k = kh·kw·cin, n = cout. Element-wise work
 * (bias, activations, pooling, softmax, the optimizer) is not counted.
 */

/** What fixes a model's shape. */
export interface ModelShape {
  /** 'mlp' or 'cnn'. */
  model: 'mlp' | 'cnn';
  /** Hidden widths of the MLP, or of the CNN's dense head. */
  hidden: readonly number[];
  /** Shape of one sample: [2] for points, [28, 28, 1] for digits. */
  sampleShape: readonly number[];
  /** Output classes. */
  numClasses: number;
}

/** Filters of the engine's two convolutions (src/engine/model.ts CONV_FILTERS). */
export const CNN_FILTERS = [8, 16] as const;
/** Side of the engine's convolution kernels (src/engine/model.ts CONV_KERNEL). */
export const CNN_KERNEL = 3;

/** One matmul-shaped layer: its forward matmul is [m, k] × [k, n] per sample row. */
export interface MatmulLayer {
  /** Layer name as in the engine's parameter paths. */
  name: string;
  /** Rows per sample (1 for dense, outH·outW for a convolution). */
  rowsPerSample: number;
  /** Inner dimension. */
  k: number;
  /** Output columns. */
  n: number;
  /** Parameters (kernel and bias). */
  params: number;
}

/** FLOPs of a [m, k] × [k, n] matmul. */
export function matmulFlops(m: number, k: number, n: number): number {
  return 2 * m * k * n;
}

/** The matmul-shaped layers of a model, in order. */
export function matmulLayers(shape: ModelShape): MatmulLayer[] {
  const layers: MatmulLayer[] = [];
  let features = shape.sampleShape.reduce((a, b) => a * b, 1);
  if (shape.model === 'cnn') {
    if (shape.sampleShape.length !== 3) throw new RangeError('the CNN needs [rows, cols, channels] samples');
    let [h, w, c] = shape.sampleShape;
    CNN_FILTERS.forEach((f, i) => {
      const k = CNN_KERNEL * CNN_KERNEL * c;
      // 'same' padding at stride 1: the output is as large as the input.
      layers.push({ name: `conv_${i}`, rowsPerSample: h * w, k, n: f, params: k * f + f });
      c = f;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    });
    features = h * w * c;
  }
  shape.hidden.forEach((width, i) => {
    layers.push({ name: `dense_${i}`, rowsPerSample: 1, k: features, n: width, params: features * width + width });
    features = width;
  });
  layers.push({ name: 'out', rowsPerSample: 1, k: features, n: shape.numClasses, params: features * shape.numClasses + shape.numClasses });
  return layers;
}

/** Trainable parameters of a model. */
export function parameterCount(shape: ModelShape): number {
  return matmulLayers(shape).reduce((s, l) => s + l.params, 0);
}

/** Forward matmul and convolution FLOPs of one batch. */
export function forwardFlops(shape: ModelShape, batch: number): number {
  return matmulLayers(shape).reduce((s, l) => s + matmulFlops(batch * l.rowsPerSample, l.k, l.n), 0);
}

/** FLOPs of one training step (forward + backward = 3× forward). */
export function trainStepFlops(shape: ModelShape, batch: number): number {
  return 3 * forwardFlops(shape, batch);
}

/**
 * The width w for which an MLP with `layers` hidden layers of width w has
 * the parameter count closest to `target` (w ≥ 1).
 */
export function mlpWidthForParams(target: number, layers: number, sampleShape: readonly number[], numClasses: number): number {
  if (!(target > 0) || !(layers >= 1)) throw new RangeError('mlpWidthForParams: target and layers must be positive');
  const count = (w: number) => parameterCount({ model: 'mlp', hidden: Array(layers).fill(w), sampleShape, numClasses });
  // The count grows monotonically with w: bisect for the first w at or above the target.
  let lo = 1, hi = 1;
  while (count(hi) < target) hi *= 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (count(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo > 1 && Math.abs(count(lo - 1) - target) <= Math.abs(count(lo) - target) ? lo - 1 : lo;
}
