/**
 * The stored form of one checkpoint: a small header (meta, tensor table,
 * number leaves) and the packed bytes of every tensor, kept as two values so
 * IndexedDB clones one bare ArrayBuffer and a restore views the values in place.
 *
 * Everything read back is untrusted: a header is checked field by field and a
 * tensor length by length and checksum by checksum against the packed layout,
 * and any defect becomes a CheckpointCorruptError that names the step and the
 * tensor, never a TypeError.
 */
import { CHECKPOINT_FORMAT_VERSION, CHECKPOINT_TENSOR_ALIGN_BYTES } from '../core/constants';
import { CheckpointCorruptError, InvalidInputError } from '../core/errors';
import { hex32, xxh32 } from '../core/hashes';
import { flattenTree, isLeaf, type DType, type Leaf, type TrainState, type Tree, type TypedArray } from '../core/tree';
import type { Fingerprint } from './integrity';

/** What a checkpoint says about itself, stored in its header. */
export interface CheckpointMeta {
  /** Completed training steps when the state was captured. */
  step: number;
  /** Run that saved the checkpoint. */
  runId: string;
  /** stateFingerprint of the run's config; a restore template must match it. */
  fingerprint: Fingerprint;
  /** TF.js backend that computed the state. */
  backend: string;
  /** GPU adapter (or '' when none) that computed the state. */
  adapter: string;
  /** Loss of steps 1..step, so a resumed loss curve can be stitched to the saved one. */
  losses: number[];
  /** Wall-clock time of the save, in milliseconds since the epoch. */
  savedAtMs: number;
}

/** One tensor leaf as stored: where its values lie in the packed data. */
export interface StoredTensor {
  /** '/'-joined tree path, e.g. 'model/dense_0/kernel'. */
  path: string;
  /** Element type. */
  dtype: DType;
  /** Dimensions. */
  shape: number[];
  /** xxHash32 of the tensor's `length` bytes at `offset`. */
  checksum: number;
  /** Byte offset of the row-major little-endian values in the data: the previous tensor's end rounded up to CHECKPOINT_TENSOR_ALIGN_BYTES. */
  offset: number;
  /** Byte length of the values: the shape's element count times the dtype's size. */
  length: number;
}

/** One number leaf as stored (a float64, kept exactly). */
export interface StoredNumber {
  /** '/'-joined tree path. */
  path: string;
  /** The value. */
  value: number;
}

/** Everything of a checkpoint but its tensor bytes: stored as its own value beside them. */
export interface CheckpointHeader {
  /** CHECKPOINT_FORMAT_VERSION of the code that wrote it. */
  formatVersion: number;
  /** Metadata. */
  meta: CheckpointMeta;
  /** Tensor leaves in path order. */
  tensors: StoredTensor[];
  /** Number leaves in path order. */
  numbers: StoredNumber[];
}

/** One checkpoint in memory: its header and its packed tensor bytes. */
export interface CheckpointRecord extends CheckpointHeader {
  /** Every tensor's bytes, back to back in path order, each at its aligned offset (zeros in between). */
  data: ArrayBuffer;
}

/** Summary of a checkpoint, kept in the run's manifest so listing never reads payloads. */
export interface CheckpointInfo {
  /** Completed training steps. */
  step: number;
  /** Wall-clock time of the save, in milliseconds since the epoch. */
  savedAtMs: number;
  /** Stored state size: tensor bytes plus 8 per number leaf. */
  bytes: number;
  /** Number of tensor leaves. */
  tensorCount: number;
  /** xxHash32 over the tensor checksums and number leaves in path order: equal digests mean bit-identical states. */
  digest: number;
  /** Slot whose keys hold the checkpoint. */
  slot: number;
}

const ARRAYS: Record<DType, { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

type Obj = Record<string, unknown>;
/** A plain object (not an array, not null). */
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
/** A whole number ≥ 0 that a double holds exactly. */
export const isUint = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isDType = (x: unknown): x is DType => typeof x === 'string' && Object.hasOwn(ARRAYS, x);
// '__proto__' would reach Object.prototype while the tree is rebuilt from paths.
const isPath = (x: unknown): x is string => typeof x === 'string' && x.split('/').every((k) => k !== '' && k !== '__proto__');
const isFingerprint = (x: unknown): x is Fingerprint =>
  isObj(x) && Object.values(x).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
/** Bytes a tensor of this dtype and shape holds. */
export const byteSize = (dtype: DType, shape: number[]): number => shape.reduce((a, b) => a * b, 1) * ARRAYS[dtype].BYTES_PER_ELEMENT;
/** Where the tensor after one ending at `end` starts. */
const alignUp = (end: number) => Math.ceil(end / CHECKPOINT_TENSOR_ALIGN_BYTES) * CHECKPOINT_TENSOR_ALIGN_BYTES;

/** The state as one tree with top-level keys model, optimizer and pipeline, the form paths are taken from. */
export function stateTree(state: TrainState): Tree {
  return { model: state.model, optimizer: state.optimizer, pipeline: state.pipeline };
}

/**
 * Captures a state now: copies every tensor's bytes, once, into one packed
 * buffer, so later mutation of the live arrays never reaches the record.
 * Checksums are left 0 for checksumRecord, which may run later and elsewhere
 * (the writer worker). `reuse`, a buffer the caller no longer needs, is packed
 * into when its size fits: copying into memory already mapped is much cheaper
 * than into a fresh buffer, which pays a page fault per page.
 */
export function packRecord(state: TrainState, meta: CheckpointMeta, reuse?: ArrayBuffer): CheckpointRecord {
  if (!isUint(meta.step)) throw new InvalidInputError(`cannot save step ${meta.step}: a step is a whole number ≥ 0`, { step: meta.step });
  const tensors: StoredTensor[] = [];
  const sources: TypedArray[] = [];
  const numbers: StoredNumber[] = [];
  let end = 0;
  for (const [path, leaf] of flattenTree(stateTree(state))) {
    if (!isPath(path)) throw new InvalidInputError(`cannot save ${JSON.stringify(path)}: tree keys must be non-empty and not __proto__`, { path });
    if (typeof leaf === 'number') {
      numbers.push({ path, value: leaf });
      continue;
    }
    if (!(leaf.data instanceof ARRAYS[leaf.dtype]) || leaf.data.byteLength !== byteSize(leaf.dtype, leaf.shape)) {
      throw new InvalidInputError(
        `cannot save ${path}: its data (${leaf.data.constructor.name} of ${leaf.data.length}) does not hold shape [${leaf.shape}] ${leaf.dtype}`,
        { path },
      );
    }
    const offset = alignUp(end);
    tensors.push({ path, dtype: leaf.dtype, shape: [...leaf.shape], checksum: 0, offset, length: leaf.data.byteLength });
    sources.push(leaf.data);
    end = offset + leaf.data.byteLength;
  }
  const recycled = reuse !== undefined && reuse.byteLength === end;
  const data = recycled ? reuse : new ArrayBuffer(end);
  const packed = new Uint8Array(data);
  let filled = 0;
  tensors.forEach((t, i) => {
    const src = sources[i];
    // Alignment gaps hold zeros (a fresh buffer has them already).
    if (recycled && t.offset > filled) packed.fill(0, filled, t.offset);
    packed.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), t.offset);
    filled = t.offset + t.length;
  });
  return {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    meta: { ...meta, fingerprint: { ...meta.fingerprint }, losses: [...meta.losses] },
    tensors,
    numbers,
    data,
  };
}

/** Sets every tensor's checksum from its packed bytes, where they are stored; returns the record. */
export function checksumRecord(record: CheckpointRecord): CheckpointRecord {
  for (const t of record.tensors) t.checksum = xxh32(new Uint8Array(record.data, t.offset, t.length));
  return record;
}

/** A complete record of `state` now: packRecord, then checksumRecord. */
export function encodeRecord(state: TrainState, meta: CheckpointMeta): CheckpointRecord {
  return checksumRecord(packRecord(state, meta));
}

/** The manifest summary of a checksummed record stored in `slot`. */
export function recordInfo(record: CheckpointHeader, slot: number): CheckpointInfo {
  const words = new Float64Array([...record.tensors.map((t) => t.checksum), ...record.numbers.map((n) => n.value)]);
  return {
    step: record.meta.step,
    savedAtMs: record.meta.savedAtMs,
    bytes: record.tensors.reduce((n, t) => n + t.length, 0) + 8 * record.numbers.length,
    tensorCount: record.tensors.length,
    digest: xxh32(words),
    slot,
  };
}

/** Throws CheckpointCorruptError unless `version` is `current`; `what` names the object for the message. */
export function checkFormatVersion(version: unknown, what: string, current: number): void {
  if (version === current) return;
  const message = isUint(version) && version > current
    ? `${what} uses format version ${version}, newer than this app reads (${current}); open it with a newer Resumable`
    : `${what} has format version ${JSON.stringify(version)}; this app reads version ${current} only`;
  throw new CheckpointCorruptError(message, { version, supported: current });
}

/** Checks the shape of every field of an untrusted header and returns a clean copy; offsets, lengths and checksums are left to decodeCheckpoint. */
export function checkHeader(x: unknown): CheckpointHeader {
  const bad = (what: string): never => {
    throw new CheckpointCorruptError(`Checkpoint header is malformed: ${what}`, { what });
  };
  if (!isObj(x)) return bad('not an object');
  checkFormatVersion(x.formatVersion, 'Checkpoint', CHECKPOINT_FORMAT_VERSION);
  const m = x.meta;
  if (!(isObj(m) && isUint(m.step) && typeof m.runId === 'string' && isFingerprint(m.fingerprint)
    && typeof m.backend === 'string' && typeof m.adapter === 'string' && typeof m.savedAtMs === 'number'
    && Array.isArray(m.losses) && m.losses.every((l) => typeof l === 'number'))) return bad('meta');
  if (!Array.isArray(x.tensors) || !Array.isArray(x.numbers)) return bad('tensor or number list');
  const tensors = x.tensors.map((t: unknown, i): StoredTensor => {
    if (!(isObj(t) && isPath(t.path) && isDType(t.dtype) && Array.isArray(t.shape) && t.shape.every(isUint)
      && isUint(t.checksum) && t.checksum <= 0xffffffff && isUint(t.offset) && isUint(t.length))) return bad(`tensor #${i}`);
    return { path: t.path, dtype: t.dtype, shape: [...t.shape as number[]], checksum: t.checksum, offset: t.offset, length: t.length };
  });
  const numbers = x.numbers.map((n: unknown, i): StoredNumber => {
    if (!(isObj(n) && isPath(n.path) && typeof n.value === 'number')) return bad(`number leaf #${i}`);
    return { path: n.path, value: n.value };
  });
  const meta: CheckpointMeta = {
    step: m.step, runId: m.runId, fingerprint: { ...m.fingerprint }, backend: m.backend, adapter: m.adapter,
    losses: [...m.losses], savedAtMs: m.savedAtMs,
  };
  return { formatVersion: CHECKPOINT_FORMAT_VERSION, meta, tensors, numbers };
}

/**
 * What is wrong with where each tensor lies, checked against the packed
 * layout: its length is what its shape needs, it starts where the layout puts
 * it, and it ends inside the data. Null per tensor that lies right; `whole`
 * for bytes past the last tensor.
 */
function layoutProblems(header: CheckpointHeader, dataBytes: number): { perTensor: Array<string | null>; whole: string | null } {
  let end = 0;
  const perTensor = header.tensors.map((t) => {
    const want = byteSize(t.dtype, t.shape);
    const at = alignUp(end);
    end = at + t.length;
    if (t.length !== want) return `is ${t.length < want ? 'truncated' : 'oversized'}: ${t.length} bytes stored, shape [${t.shape}] ${t.dtype} needs ${want}`;
    if (t.offset !== at) return `is stored at byte ${t.offset} of the checkpoint data, where the packed layout puts it at ${at}`;
    if (t.offset + t.length > dataBytes) return `is truncated: only ${Math.max(0, dataBytes - t.offset)} of its ${t.length} bytes are stored`;
    return null;
  });
  const whole = dataBytes > end ? `its tensor data has ${dataBytes - end} bytes past the last tensor` : null;
  return { perTensor, whole };
}

/** Whether one stored tensor's bytes still match its checksum (false when they do not lie inside the data). */
export function tensorChecksumOk(record: CheckpointRecord, t: StoredTensor): boolean {
  return t.offset + t.length <= record.data.byteLength && xxh32(new Uint8Array(record.data, t.offset, t.length)) === t.checksum;
}

/**
 * Fully verifies an untrusted header and data as stored (fields, version,
 * layout, checksums, paths) and rebuilds the state tree as views of `data`.
 */
export function decodeCheckpoint(rawHeader: unknown, rawData: unknown): { record: CheckpointRecord; tree: Tree } {
  const header = checkHeader(rawHeader);
  const { step } = header.meta;
  const corrupt = (path: string, why: string): never => {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is corrupt: ${path} ${why}`, { step, path });
  };
  if (!(rawData instanceof ArrayBuffer)) {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is corrupt: its tensor data is ${rawData === undefined ? 'missing' : 'not bytes'}`, { step, path: '' });
  }
  const record: CheckpointRecord = { ...header, data: rawData };
  const tree: Tree = {};
  const insert = (path: string, leaf: Leaf) => {
    const keys = path.split('/');
    const last = keys.pop() as string;
    let node = tree;
    for (const k of keys) {
      if (!Object.hasOwn(node, k)) node[k] = {};
      const next = node[k];
      if (isLeaf(next)) return corrupt(path, 'lies under another leaf');
      node = next;
    }
    if (Object.hasOwn(node, last)) return corrupt(path, 'is stored twice or is also a subtree');
    node[last] = leaf;
  };
  const { perTensor, whole } = layoutProblems(header, rawData.byteLength);
  header.tensors.forEach((t, i) => {
    const problem = perTensor[i];
    if (problem !== null) corrupt(t.path, problem);
    const sum = xxh32(new Uint8Array(rawData, t.offset, t.length));
    if (sum !== t.checksum) corrupt(t.path, `failed its checksum (stored ${hex32(t.checksum)}, computed ${hex32(sum)})`);
    // A view, not a copy: the buffer came out of IndexedDB (or a file) as this decode's own, and the layout keeps it aligned.
    const Array_ = ARRAYS[t.dtype];
    insert(t.path, { kind: 'tensor', dtype: t.dtype, shape: t.shape, data: new Array_(rawData, t.offset, t.length / Array_.BYTES_PER_ELEMENT) });
  });
  if (whole !== null) throw new CheckpointCorruptError(`Checkpoint at step ${step} is corrupt: ${whole}`, { step, path: '' });
  for (const n of header.numbers) insert(n.path, n.value);
  return { record, tree };
}
