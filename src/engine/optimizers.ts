/**
 * Optimizers with checkpointable state keyed by variable path.
 *
 * Why not tf.train.*: their state is positional (`getWeights` lists slots by
 * index) and Adam's `setWeights` recomputes the bias-correction accumulators
 * with `pow`, which is not bit-identical to the running products. Here every
 * value the update reads is in the snapshot, and restoring it is a copy.
 * The arithmetic mirrors tf.train's, op for op, so the two are comparable.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, MOMENTUM_DEFAULT } from '../core/constants';
import type { OptimizerKind } from '../core/config';
import { readPrivate } from './model';
import { getLeaf, isTensorLeaf, setLeaf, tensorLeaf, type Tree } from '../core/tree';

/** Gradients by the same logical paths as the model's variables. */
export type NamedGrads = Map<string, tf.Tensor>;

/** A stateful update rule whose state is plain data. */
export interface Optimizer {
  /** Which rule this is. */
  readonly kind: OptimizerKind | 'tfjs-adam';
  /** Applies one update to `params` and advances the step count. */
  apply(params: Map<string, tf.Variable>, grads: NamedGrads): void;
  /** Every value the next update reads, as a pure tree. */
  snapshot(): Promise<Tree>;
  /** Writes a validated tree back (the inverse of snapshot, bit for bit). */
  load(tree: Tree): Promise<void>;
  /** Releases slot variables. */
  dispose(): void;
}

/**
 * Slot variables, one set per parameter path. Created eagerly as zeros (what
 * tf.train creates lazily on the first step), so the snapshot of a freshly
 * built optimizer has the same structure as a trained one's: it can serve as
 * the restore template.
 */
class Slots {
  private readonly byPath = new Map<string, Record<string, tf.Variable>>();
  constructor(private readonly names: string[], params: Map<string, tf.Variable>) {
    for (const [path, p] of params) {
      const s: Record<string, tf.Variable> = {};
      for (const n of names) s[n] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
      this.byPath.set(path, s);
    }
  }

  /** The slots of `path`. */
  get(path: string): Record<string, tf.Variable> {
    const s = this.byPath.get(path);
    if (!s) throw new Error(`optimizer: no slots for ${path}`);
    return s;
  }

  /** Slots as a tree: `{path: {slotName: tensor}}`. */
  async snapshot(): Promise<Tree> {
    const tree: Tree = {};
    const jobs: Array<Promise<void>> = [];
    for (const [path, slots] of this.byPath) {
      for (const n of this.names) {
        const v = slots[n];
        jobs.push(readPrivate(v).then((d) => setLeaf(tree, `${path}/${n}`, tensorLeaf(d, v.shape))));
      }
    }
    await Promise.all(jobs);
    return tree;
  }

  /** Copies every slot value from a validated tree. */
  load(tree: Tree): void {
    for (const [path, slots] of this.byPath) {
      for (const n of this.names) {
        const leaf = getLeaf(tree, `${path}/${n}`);
        const v = slots[n];
        if (!isTensorLeaf(leaf) || leaf.shape.join() !== v.shape.join()) throw new Error(`optimizer.load: slot ${path}/${n} missing or mis-shaped`);
        tf.tidy(() => v.assign(tf.tensor(leaf.data, leaf.shape, 'float32')));
      }
    }
  }

  dispose(): void {
    for (const s of this.byPath.values()) for (const v of Object.values(s)) v.dispose();
    this.byPath.clear();
  }
}

function readNumber(tree: Tree, key: string): number {
  const v = tree[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`optimizer.load: ${key} must be a number`);
  return v;
}

/** Plain SGD: p ← p − lr·g. State: the step count. */
export class SGD implements Optimizer {
  readonly kind = 'sgd' as const;
  /** Updates applied so far. */
  iterations = 0;
  private readonly lr: tf.Scalar;
  constructor(lr: number) { this.lr = tf.scalar(lr); }
  apply(params: Map<string, tf.Variable>, grads: NamedGrads): void {
    tf.tidy(() => {
      for (const [path, g] of grads) {
        const p = params.get(path) as tf.Variable;
        p.assign(tf.sub(p, tf.mul(g, this.lr)));
      }
    });
    this.iterations++;
  }
  async snapshot(): Promise<Tree> { return { iterations: this.iterations }; }
  async load(tree: Tree): Promise<void> { this.iterations = readNumber(tree, 'iterations'); }
  dispose(): void { this.lr.dispose(); }
}

/** SGD with momentum (tf.train.momentum's rule): a ← μ·a + g; p ← p − lr·a. */
export class Momentum implements Optimizer {
  readonly kind = 'momentum' as const;
  /** Updates applied so far. */
  iterations = 0;
  private readonly lr: tf.Scalar;
  private readonly mu: tf.Scalar;
  private readonly slots: Slots;
  constructor(params: Map<string, tf.Variable>, lr: number, momentum = MOMENTUM_DEFAULT) {
    this.slots = new Slots(['accumulation'], params);
    this.lr = tf.scalar(lr);
    this.mu = tf.scalar(momentum);
  }
  apply(params: Map<string, tf.Variable>, grads: NamedGrads): void {
    tf.tidy(() => {
      for (const [path, g] of grads) {
        const p = params.get(path) as tf.Variable;
        const { accumulation } = this.slots.get(path);
        const a = tf.add(tf.mul(this.mu, accumulation), g);
        accumulation.assign(a);
        p.assign(tf.sub(p, tf.mul(a, this.lr)));
      }
    });
    this.iterations++;
  }
  async snapshot(): Promise<Tree> { return { iterations: this.iterations, slots: await this.slots.snapshot() }; }
  async load(tree: Tree): Promise<void> {
    this.slots.load(tree.slots as Tree);
    this.iterations = readNumber(tree, 'iterations');
  }
  dispose(): void { this.slots.dispose(); this.lr.dispose(); this.mu.dispose(); }
}

/**
 * Adam with the bias-correction accumulators β1^t and β2^t kept as running
 * float32 products, exactly as tf.train.adam computes them during training.
 */
export class Adam implements Optimizer {
  readonly kind = 'adam' as const;
  /** Updates applied so far. */
  iterations = 0;
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  /** β1^(t+1) as a float32 running product (what the next update divides by). */
  private readonly accBeta1: tf.Variable;
  /** β2^(t+1) as a float32 running product. */
  private readonly accBeta2: tf.Variable;
  private readonly slots: Slots;

  constructor(params: Map<string, tf.Variable>, lr: number, beta1 = ADAM_BETA1, beta2 = ADAM_BETA2, epsilon = ADAM_EPSILON) {
    this.slots = new Slots(['m', 'v'], params);
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.accBeta1 = tf.tidy(() => tf.variable(tf.scalar(beta1), false));
    this.accBeta2 = tf.tidy(() => tf.variable(tf.scalar(beta2), false));
  }

  apply(params: Map<string, tf.Variable>, grads: NamedGrads): void {
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, this.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, this.accBeta2);
      for (const [path, g] of grads) {
        const p = params.get(path) as tf.Variable;
        const { m, v } = this.slots.get(path);
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1);
        const vHat = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        p.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.lr), p));
      }
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.iterations++;
  }

  async snapshot(): Promise<Tree> {
    const [b1, b2] = await Promise.all([this.accBeta1.data(), this.accBeta2.data()]);
    return {
      iterations: this.iterations,
      beta1Power: tensorLeaf(new Float32Array(b1 as Float32Array), []),
      beta2Power: tensorLeaf(new Float32Array(b2 as Float32Array), []),
      slots: await this.slots.snapshot(),
    };
  }

  async load(tree: Tree): Promise<void> {
    const b1 = tree.beta1Power;
    const b2 = tree.beta2Power;
    if (!isTensorLeaf(b1) || !isTensorLeaf(b2)) throw new Error('optimizer.load: missing beta1Power/beta2Power');
    this.slots.load(tree.slots as Tree);
    tf.tidy(() => {
      this.accBeta1.assign(tf.scalar(b1.data[0], 'float32'));
      this.accBeta2.assign(tf.scalar(b2.data[0], 'float32'));
    });
    this.iterations = readNumber(tree, 'iterations');
  }

  dispose(): void { this.slots.dispose(); this.accBeta1.dispose(); this.accBeta2.dispose(); }
}

/**
 * TF.js's own Adam, restored through its own `setWeights`: the teaching
 * pitfall. Its accumulators come back as pow(β, t+1) instead of the running
 * product, a few ulps off, so a resumed run drifts from the reference.
 */
export class TfjsAdam implements Optimizer {
  readonly kind = 'tfjs-adam' as const;
  private readonly opt: tf.AdamOptimizer;
  constructor(private readonly params: Map<string, tf.Variable>, lr: number, beta1 = ADAM_BETA1, beta2 = ADAM_BETA2, epsilon = ADAM_EPSILON) {
    this.opt = tf.train.adam(lr, beta1, beta2, epsilon);
  }
  apply(params: Map<string, tf.Variable>, grads: NamedGrads): void {
    // tf.train addresses variables by their registered TF.js name, slots by position.
    this.opt.applyGradients([...grads].map(([path, g]) => ({ name: (params.get(path) as tf.Variable).name, tensor: g })));
  }
  async snapshot(): Promise<Tree> {
    const weights = await this.opt.getWeights();
    const tree: Tree = {};
    const iter = weights[0];
    tree.iter = (await iter.tensor.data())[0];
    // getWeights makes a new scalar for 'iter' on every call.
    iter.tensor.dispose();
    // Positional on purpose: this is how tf.train saves and matches its slots.
    // Before the first step tf.train has no slots yet: zeros have the same meaning.
    const shapes = [...this.params.values(), ...this.params.values()].map((p) => p.shape);
    await Promise.all(shapes.map(async (shape, i) => {
      const w = weights[i + 1];
      const data = w ? new Float32Array(await w.tensor.data() as Float32Array) : new Float32Array(shape.reduce((a, b) => a * b, 1));
      tree[`weight_${String(i).padStart(3, '0')}`] = tensorLeaf(data, shape);
    }));
    return tree;
  }
  async load(tree: Tree): Promise<void> {
    const n = this.params.size;
    const names = [...this.params.values()].map((p) => p.name);
    const weights: Array<{ name: string; tensor: tf.Tensor }> = [{ name: 'iter', tensor: tf.scalar(tree.iter as number) }];
    for (let i = 0; i < 2 * n; i++) {
      const leaf = tree[`weight_${String(i).padStart(3, '0')}`];
      if (!isTensorLeaf(leaf)) throw new Error(`optimizer.load: weight ${i} missing`);
      weights.push({ name: `${names[i % n]}/${i < n ? 'm' : 'v'}`, tensor: tf.tensor(leaf.data, leaf.shape, 'float32') });
    }
    await this.opt.setWeights(weights);
    // setWeights wraps the tensors in fresh variables; our handles can go.
    tf.dispose(weights.map((w) => w.tensor));
  }
  dispose(): void { this.opt.dispose(); }
}

/** Builds the optimizer a config names, with slots for `params`. */
export function createOptimizer(kind: OptimizerKind, lr: number, params: Map<string, tf.Variable>, useTfjsAdam = false): Optimizer {
  switch (kind) {
    case 'sgd': return new SGD(lr);
    case 'momentum': return new Momentum(params, lr);
    case 'adam': return useTfjsAdam ? new TfjsAdam(params, lr) : new Adam(params, lr);
  }
}
