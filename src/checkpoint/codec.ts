/**
 * Converts a TrainState plus metadata into the record stored in IndexedDB and
 * back, and into the portable single-file export format.
 *
 * Everything read back is treated as untrusted: a record or file is checked
 * field by field, length by length and checksum by checksum, and any defect
 * becomes a CheckpointCorruptError that says what is wrong, never a TypeError.
 */
import { CHECKPOINT_FILE_MAGIC, CHECKPOINT_FORMAT_VERSION } from '../constants';
import { CheckpointCorruptError, InvalidInputError } from '../engine/errors';
import { flattenTree, isLeaf, type DType, type Leaf, type TrainState, type Tree, type TypedArray } from '../engine/tree';
import { crc32c } from './crc32c';
import type { Fingerprint } from './validate';

/** What a checkpoint says about itself, stored beside the tensors. */
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

/** One tensor leaf as stored. */
export interface StoredTensor {
  /** '/'-joined tree path, e.g. 'model/dense_0/kernel'. */
  path: string;
  /** Element type. */
  dtype: DType;
  /** Dimensions. */
  shape: number[];
  /** CRC32C of `bytes`, computed when the state was captured. */
  crc32c: number;
  /** Private copy of the row-major values in platform (little-endian) byte order. */
  bytes: ArrayBuffer;
}

/** One number leaf as stored (a float64, kept exactly). */
export interface StoredNumber {
  /** '/'-joined tree path. */
  path: string;
  /** The value. */
  value: number;
}

/** The stored form of one checkpoint. */
export interface CheckpointRecord {
  /** CHECKPOINT_FORMAT_VERSION of the code that wrote it. */
  formatVersion: number;
  /** Metadata. */
  meta: CheckpointMeta;
  /** Tensor leaves in path order. */
  tensors: StoredTensor[];
  /** Number leaves in path order. */
  numbers: StoredNumber[];
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
  /** CRC32C over the tensor checksums and number leaves in path order: equal digests mean bit-identical states. */
  digest: number;
}

const ARRAYS: Record<DType, { new (buffer: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

const MAGIC = new TextEncoder().encode(CHECKPOINT_FILE_MAGIC);
/** Magic, header length, trailer CRC: the smallest a file can be. */
const MIN_FILE_BYTES = MAGIC.length + 4 + 4;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isUint = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isDType = (x: unknown): x is DType => typeof x === 'string' && Object.hasOwn(ARRAYS, x);
// '__proto__' would reach Object.prototype while the tree is rebuilt from paths.
const isPath = (x: unknown): x is string => typeof x === 'string' && x.split('/').every((k) => k !== '' && k !== '__proto__');
const isFingerprint = (x: unknown): x is Fingerprint =>
  isObj(x) && Object.values(x).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
const byteSize = (dtype: DType, shape: number[]) => shape.reduce((a, b) => a * b, 1) * ARRAYS[dtype].BYTES_PER_ELEMENT;
const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** The state as one tree with top-level keys model, optimizer and pipeline, the form paths are taken from. */
export function stateTree(state: TrainState): Tree {
  return { model: state.model, optimizer: state.optimizer, pipeline: state.pipeline };
}

/** Captures a state now: copies every tensor's bytes and checksums them, so later mutation of the live arrays never reaches the record. */
export function encodeRecord(state: TrainState, meta: CheckpointMeta): CheckpointRecord {
  if (!isUint(meta.step)) throw new InvalidInputError(`cannot save step ${meta.step}: a step is a whole number ≥ 0`, { step: meta.step });
  const tensors: StoredTensor[] = [];
  const numbers: StoredNumber[] = [];
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
    const bytes = leaf.data.slice().buffer;
    tensors.push({ path, dtype: leaf.dtype, shape: [...leaf.shape], crc32c: crc32c(bytes), bytes });
  }
  return {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    meta: { ...meta, fingerprint: { ...meta.fingerprint }, losses: [...meta.losses] },
    tensors,
    numbers,
  };
}

/** The manifest summary of a record. */
export function recordInfo(record: CheckpointRecord): CheckpointInfo {
  const words = new Float64Array([...record.tensors.map((t) => t.crc32c), ...record.numbers.map((n) => n.value)]);
  return {
    step: record.meta.step,
    savedAtMs: record.meta.savedAtMs,
    bytes: record.tensors.reduce((n, t) => n + t.bytes.byteLength, 0) + 8 * record.numbers.length,
    tensorCount: record.tensors.length,
    digest: crc32c(words),
  };
}

/** Throws CheckpointCorruptError unless `version` is the format this code reads; `what` names the object for the message. */
export function checkFormatVersion(version: unknown, what: string): void {
  if (version === CHECKPOINT_FORMAT_VERSION) return;
  const message = isUint(version) && version > CHECKPOINT_FORMAT_VERSION
    ? `${what} uses format version ${version}, newer than this app reads (${CHECKPOINT_FORMAT_VERSION}); open it with a newer Resumable`
    : `${what} has unknown format version ${JSON.stringify(version)}; this app reads version ${CHECKPOINT_FORMAT_VERSION}`;
  throw new CheckpointCorruptError(message, { version, supported: CHECKPOINT_FORMAT_VERSION });
}

/** Checks the shape of every field of an untrusted record and returns a clean copy; lengths and checksums are left to decodeRecord. */
export function checkRecord(x: unknown): CheckpointRecord {
  const bad = (what: string): never => {
    throw new CheckpointCorruptError(`Checkpoint record is malformed: ${what}`, { what });
  };
  if (!isObj(x)) return bad('not an object');
  checkFormatVersion(x.formatVersion, 'Checkpoint');
  const m = x.meta;
  if (!(isObj(m) && isUint(m.step) && typeof m.runId === 'string' && isFingerprint(m.fingerprint)
    && typeof m.backend === 'string' && typeof m.adapter === 'string' && typeof m.savedAtMs === 'number'
    && Array.isArray(m.losses) && m.losses.every((l) => typeof l === 'number'))) return bad('meta');
  if (!Array.isArray(x.tensors) || !Array.isArray(x.numbers)) return bad('tensor or number list');
  const tensors = x.tensors.map((t: unknown, i): StoredTensor => {
    if (!(isObj(t) && isPath(t.path) && isDType(t.dtype) && Array.isArray(t.shape) && t.shape.every(isUint)
      && isUint(t.crc32c) && t.crc32c <= 0xffffffff && t.bytes instanceof ArrayBuffer)) return bad(`tensor #${i}`);
    return { path: t.path, dtype: t.dtype, shape: [...t.shape], crc32c: t.crc32c, bytes: t.bytes };
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

/** Fully verifies an untrusted record (fields, version, byte lengths, checksums, paths) and rebuilds its tree over fresh typed arrays. */
export function decodeRecord(x: unknown): { record: CheckpointRecord; tree: Tree } {
  const record = checkRecord(x);
  const { step } = record.meta;
  const corrupt = (path: string, why: string): never => {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is corrupt: ${path} ${why}`, { step, path });
  };
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
  for (const t of record.tensors) {
    const want = byteSize(t.dtype, t.shape);
    if (t.bytes.byteLength !== want) {
      corrupt(t.path, `is ${t.bytes.byteLength < want ? 'truncated' : 'oversized'}: ${t.bytes.byteLength} bytes stored, shape [${t.shape}] ${t.dtype} needs ${want}`);
    }
    const crc = crc32c(t.bytes);
    if (crc !== t.crc32c) corrupt(t.path, `failed its CRC32C check (stored ${hex(t.crc32c)}, computed ${hex(crc)})`);
    insert(t.path, { kind: 'tensor', dtype: t.dtype, shape: t.shape, data: new ARRAYS[t.dtype](t.bytes) });
  }
  for (const n of record.numbers) insert(n.path, n.value);
  return { record, tree };
}

/** Tag for numbers JSON cannot hold (NaN, ±Infinity, -0), so a header keeps every float64 exactly. */
const F64 = '$f64';
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** A checkpoint as one self-checking file: magic, u32 header length, JSON header, tensor bytes, u32 CRC32C of all before it (little-endian). */
export function encodeCheckpointFile(record: CheckpointRecord): Uint8Array {
  let bodyBytes = 0;
  const tensors = record.tensors.map(({ path, dtype, shape, crc32c: crc, bytes }) => {
    const entry = { path, dtype, shape, crc32c: crc, offset: bodyBytes, length: bytes.byteLength };
    bodyBytes += bytes.byteLength;
    return entry;
  });
  const json = JSON.stringify(
    { formatVersion: record.formatVersion, meta: record.meta, tensors, numbers: record.numbers },
    (_key, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? { [F64]: Object.is(v, -0) ? '-0' : String(v) } : v),
  );
  const header = new TextEncoder().encode(json);
  const out = new Uint8Array(MIN_FILE_BYTES + header.length + bodyBytes);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setUint32(MAGIC.length, header.length, true);
  let at = MAGIC.length + 4;
  out.set(header, at);
  at += header.length;
  for (const t of record.tensors) {
    out.set(new Uint8Array(t.bytes), at);
    at += t.bytes.byteLength;
  }
  view.setUint32(at, crc32c(out.subarray(0, at)), true);
  return out;
}

/** Parses and fully verifies an exported file; throws CheckpointCorruptError saying what is wrong (InvalidInputError when not given bytes). */
export function decodeCheckpointFile(bytes: Uint8Array): CheckpointRecord {
  if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('A checkpoint file must be given as bytes (Uint8Array)');
  const bad = (why: string): never => {
    throw new CheckpointCorruptError(`Not a valid Resumable checkpoint file: ${why}`, { why, fileBytes: bytes.length });
  };
  if (bytes.length < MIN_FILE_BYTES) bad(`only ${bytes.length} bytes long`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) bad(`it does not start with "${CHECKPOINT_FILE_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (crc32c(bytes.subarray(0, end)) !== view.getUint32(end, true)) bad('file checksum mismatch (damaged or truncated)');
  const headerStart = MAGIC.length + 4;
  const headerEnd = headerStart + view.getUint32(MAGIC.length, true);
  if (headerEnd > end) bad('header length runs past the end of the file');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(headerStart, headerEnd)), (_key, v: unknown) => {
      if (!isObj(v) || !Object.hasOwn(v, F64)) return v;
      const s = v[F64];
      return typeof s === 'string' && Object.hasOwn(SPECIAL, s) ? SPECIAL[s] : bad(`unknown special number ${JSON.stringify(s)}`);
    });
  } catch (e) {
    if (e instanceof CheckpointCorruptError) throw e;
    bad('header is not valid UTF-8 JSON');
  }
  if (!isObj(header) || !Array.isArray(header.tensors)) return bad('header has no tensor list');
  const body = bytes.subarray(headerEnd, end);
  const tensors = header.tensors.map((t: unknown, i) => {
    if (!isObj(t) || !isUint(t.offset) || !isUint(t.length) || t.offset + t.length > body.length) {
      return bad(`tensor #${i} does not lie inside the file`);
    }
    return { ...t, bytes: body.slice(t.offset, t.offset + t.length).buffer };
  });
  return decodeRecord({ ...header, tensors }).record;
}
