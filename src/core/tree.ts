/**
 * State trees: the plain-data form of everything training mutates.
 *
 * A tree is a nested plain object whose leaves are numbers or typed arrays with
 * a shape and dtype (the `nnx.to_pure_dict` form). Paths are '/'-joined keys,
 * e.g. `model/dense_0/kernel` or `optimizer/slots/dense_0/kernel/m`.
 */

/** Element types a tensor leaf may hold. */
export type DType = 'float32' | 'int32' | 'uint8';

/** Typed array matching a DType. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** A tensor leaf: raw values in row-major order plus shape and dtype. */
export interface TensorLeaf {
  /** Marks this object as a leaf, not a subtree. */
  readonly kind: 'tensor';
  /** Element type of `data`. */
  dtype: DType;
  /** Dimensions; their product equals `data.length`. */
  shape: number[];
  /** Row-major values. */
  data: TypedArray;
}

/** A leaf: a tensor or a plain number (counters, scalars, RNG words). */
export type Leaf = TensorLeaf | number;

/** A nested plain object of leaves. */
export interface Tree {
  [key: string]: Leaf | Tree;
}

/** The checkpointed triple, snapshotted and restored together. */
export interface TrainState {
  /** Model weights keyed by variable name. */
  model: Tree;
  /** Optimizer slots keyed by variable name, plus its scalars. */
  optimizer: Tree;
  /** Data pipeline: source fingerprint, sampler cursor/epoch, every stream. */
  pipeline: Tree;
}

/** True when `v` is a tensor leaf. */
export function isTensorLeaf(v: unknown): v is TensorLeaf {
  return typeof v === 'object' && v !== null && (v as TensorLeaf).kind === 'tensor';
}

/** True when `v` is a leaf (tensor or number). */
export function isLeaf(v: unknown): v is Leaf {
  return typeof v === 'number' || isTensorLeaf(v);
}

/** Builds a tensor leaf, checking that the shape matches the data length. */
export function tensorLeaf(data: TypedArray, shape: number[], dtype?: DType): TensorLeaf {
  const inferred: DType = data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'uint8';
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new RangeError(`tensorLeaf: shape [${shape}] holds ${size} values but data has ${data.length}`);
  }
  return { kind: 'tensor', dtype: dtype ?? inferred, shape: [...shape], data };
}

/** Every (path, leaf) pair in key-sorted depth-first order. */
export function flattenTree(tree: Tree, prefix = ''): Array<[string, Leaf]> {
  const out: Array<[string, Leaf]> = [];
  for (const key of Object.keys(tree).sort()) {
    const v = tree[key];
    const path = prefix ? `${prefix}/${key}` : key;
    if (isLeaf(v)) out.push([path, v]);
    else out.push(...flattenTree(v, path));
  }
  return out;
}

/** Reads the leaf at a '/'-joined path, or undefined. */
export function getLeaf(tree: Tree, path: string): Leaf | undefined {
  let node: Leaf | Tree | undefined = tree;
  for (const key of path.split('/')) {
    if (node === undefined || isLeaf(node)) return undefined;
    node = node[key];
  }
  return node !== undefined && isLeaf(node) ? node : undefined;
}

/** Sets the leaf at a '/'-joined path, creating the subtrees on the way. */
export function setLeaf(tree: Tree, path: string, leaf: Leaf): void {
  const keys = path.split('/');
  let node = tree;
  for (const k of keys.slice(0, -1)) {
    if (node[k] === undefined) node[k] = {};
    node = node[k] as Tree;
  }
  node[keys[keys.length - 1]] = leaf;
}

/** Per-path max |a − b| over the paths both trees share (NaN where shapes differ). */
export function maxAbsDiffByPath(a: Tree, b: Tree): Record<string, number> {
  const out: Record<string, number> = {};
  const bMap = new Map(flattenTree(b));
  for (const [path, la] of flattenTree(a)) {
    const lb = bMap.get(path);
    if (lb === undefined) continue;
    if (typeof la === 'number' || typeof lb === 'number') {
      out[path] = typeof la === 'number' && typeof lb === 'number' ? Math.abs(la - lb) : NaN;
      continue;
    }
    if (la.data.length !== lb.data.length) { out[path] = NaN; continue; }
    let m = 0;
    for (let i = 0; i < la.data.length; i++) {
      const d = Math.abs(la.data[i] - lb.data[i]);
      // NaN-safe: a NaN on one side only is a divergence, NaN on both is equal bits.
      if (d > m || (Number.isNaN(d) && !(Number.isNaN(la.data[i]) && Number.isNaN(lb.data[i])))) m = Number.isNaN(d) ? Infinity : d;
    }
    out[path] = m;
  }
  return out;
}

/** Deep copy of a tree (typed arrays copied), so later mutation of one never shows in the other. */
export function cloneTree(tree: Tree): Tree {
  const out: Tree = {};
  for (const key of Object.keys(tree)) {
    const v = tree[key];
    if (typeof v === 'number') out[key] = v;
    else if (isTensorLeaf(v)) out[key] = { kind: 'tensor', dtype: v.dtype, shape: [...v.shape], data: v.data.slice() };
    else out[key] = cloneTree(v);
  }
  return out;
}
