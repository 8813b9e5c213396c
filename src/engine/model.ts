/**
 * Models built from named TF.js variables: an MLP for 2-D points and digits,
 * and a small CNN for digits. Weights are keyed by a logical path
 * (`dense_0/kernel`), never by position, and are drawn from the params stream.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, RunConfig } from '../core/config';
import { RngStream } from './rng';
import { getLeaf, isTensorLeaf, setLeaf, tensorLeaf, type Tree } from '../core/tree';

/** Shape of one named parameter and how to initialise it. */
interface ParamSpec {
  /** Logical path, the key in snapshots and optimizer slots. */
  path: string;
  /** Tensor shape. */
  shape: number[];
  /** Glorot-uniform fan-in and fan-out, or null for zeros (biases). */
  fans: [number, number] | null;
}

/** Input description the model is built for. */
export interface ModelInput {
  /** Per-sample shape: [2] for 2-D points, [28, 28, 1] for digits. */
  sampleShape: number[];
  /** Number of classes (width of the output layer). */
  numClasses: number;
}

const CONV_FILTERS = [8, 16];
const CONV_KERNEL = 3;

function paramSpecs(config: Pick<RunConfig, 'model' | 'hidden'>, input: ModelInput): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const dense = (name: string, fanIn: number, fanOut: number) => {
    specs.push({ path: `${name}/kernel`, shape: [fanIn, fanOut], fans: [fanIn, fanOut] });
    specs.push({ path: `${name}/bias`, shape: [fanOut], fans: null });
  };
  let features = input.sampleShape.reduce((a, b) => a * b, 1);
  if (config.model === 'cnn') {
    let [h, w, c] = input.sampleShape;
    CONV_FILTERS.forEach((f, i) => {
      const fanIn = CONV_KERNEL * CONV_KERNEL * c;
      specs.push({ path: `conv_${i}/kernel`, shape: [CONV_KERNEL, CONV_KERNEL, c, f], fans: [fanIn, CONV_KERNEL * CONV_KERNEL * f] });
      specs.push({ path: `conv_${i}/bias`, shape: [f], fans: null });
      c = f;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    });
    features = h * w * c;
  }
  config.hidden.forEach((width, i) => {
    dense(`dense_${i}`, features, width);
    features = width;
  });
  dense('out', features, input.numClasses);
  return specs;
}

function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
  }
}

/** A classifier whose state is a set of named variables. */
export class Model {
  /** Variables by logical path, in creation order. */
  readonly params: Map<string, tf.Variable>;
  private readonly config: Pick<RunConfig, 'model' | 'hidden' | 'activation'>;
  private readonly input: ModelInput;

  private constructor(config: Pick<RunConfig, 'model' | 'hidden' | 'activation'>, input: ModelInput, params: Map<string, tf.Variable>) {
    this.config = config;
    this.input = input;
    this.params = params;
  }

  /**
   * Builds fresh variables. Each parameter draws from its own child of the
   * params stream, so adding a layer never changes another layer's init.
   */
  static create(config: Pick<RunConfig, 'model' | 'hidden' | 'activation' | 'seed'>, input: ModelInput): Model {
    const root = RngStream.fromSeed(config.seed, 'params');
    const params = new Map<string, tf.Variable>();
    for (const spec of paramSpecs(config, input)) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      if (spec.fans) {
        const limit = Math.sqrt(6 / (spec.fans[0] + spec.fans[1]));
        const stream = root.child(spec.path);
        for (let i = 0; i < size; i++) values[i] = (2 * stream.nextFloat() - 1) * limit;
      }
      // TF.js variable names must be globally unique, so they are left to TF.js;
      // the logical path is the map key.
      params.set(spec.path, tf.tidy(() => tf.variable(tf.tensor(values, spec.shape, 'float32'), true)));
    }
    return new Model(config, input, params);
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Logits for a batch; x is [batch, ...sampleShape]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    const p = (path: string) => this.params.get(path) as tf.Variable;
    let h: tf.Tensor = x;
    if (this.config.model === 'cnn') {
      CONV_FILTERS.forEach((_, i) => {
        h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: p(`conv_${i}/kernel`) as tf.Tensor4D, strides: 1, pad: 'same', bias: p(`conv_${i}/bias`), activation: 'relu' });
        h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      });
    }
    h = tf.reshape(h, [x.shape[0], -1]);
    this.config.hidden.forEach((_, i) => {
      h = activate(tf.add(tf.matMul(h as tf.Tensor2D, p(`dense_${i}/kernel`) as tf.Tensor2D), p(`dense_${i}/bias`)), this.config.activation);
    });
    return tf.add(tf.matMul(h as tf.Tensor2D, p('out/kernel') as tf.Tensor2D), p('out/bias')) as tf.Tensor2D;
  }

  /** Mean softmax cross-entropy of the logits against integer labels. */
  loss(x: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
    const logits = this.apply(x);
    const oneHot = tf.oneHot(labels, this.input.numClasses);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  }

  /** Snapshot of every weight as a pure tree (`nnx.to_pure_dict(nnx.state(model))`). */
  async snapshot(): Promise<Tree> {
    const tree: Tree = {};
    const entries = [...this.params.entries()];
    const datas = await Promise.all(entries.map(([, v]) => readPrivate(v)));
    entries.forEach(([path, v], i) => setLeaf(tree, path, tensorLeaf(datas[i], v.shape)));
    return tree;
  }

  /** Writes a validated tree back into the variables (`nnx.update`). */
  load(tree: Tree): void {
    for (const [path, v] of this.params) {
      const leaf = getLeaf(tree, path);
      if (!isTensorLeaf(leaf)) throw new Error(`model.load: no tensor at ${path}`);
      tf.tidy(() => v.assign(tf.tensor(leaf.data, leaf.shape, 'float32')));
    }
  }

  /** Releases every variable. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/**
 * The float32 values of `t` in an array nobody else holds, so a snapshot's
 * reader may keep or change it. wasm's read slices its heap, so its result
 * already is such a copy; cpu and webgl hand out the tensor's own storage and
 * webgpu may cache what it read, so theirs is copied.
 */
export async function readPrivate(t: tf.Tensor): Promise<Float32Array> {
  const d = (await t.data()) as Float32Array;
  return tf.getBackend() === 'wasm' ? d : new Float32Array(d);
}
