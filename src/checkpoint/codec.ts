/**
 * Converts a TrainState plus metadata into the record stored in IndexedDB and
 * back, and into the portable single-file export format.
 *
 * A record packs every tensor's bytes into ONE ArrayBuffer: the structured
 * clone inside IndexedDB's put then copies one buffer instead of one per
 * tensor, packing copies each tensor exactly once, and restore views the
 * values in place. Format 3 stores that buffer bare, beside a header holding
 * everything else (commit.ts); format 2 stored both in one object. In memory
 * both are the same CheckpointRecord. Format 1 records and files (one buffer
 * per tensor) are still read, by packing them on the way in.
 *
 * Everything read back is treated as untrusted: a record or file is checked
 * field by field, length by length and checksum by checksum, and any defect
 * becomes a CheckpointCorruptError that says what is wrong, never a TypeError.
 */
import { CHECKPOINT_FILE_MAGIC, CHECKPOINT_FORMAT_VERSION, CHECKPOINT_TENSOR_ALIGN_BYTES } from '../constants';
import { CheckpointCorruptError, InvalidInputError } from '../engine/errors';
import { flattenTree, isLeaf, type DType, type Leaf, type TrainState, type Tree, type TypedArray } from '../engine/tree';
import { crc32c } from './crc32c';
import { xxh32 } from './xxh32';
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

/** One tensor leaf as stored: where its values lie in the record's packed `data`. */
export interface StoredTensor {
  /** '/'-joined tree path, e.g. 'model/dense_0/kernel'. */
  path: string;
  /** Element type. */
  dtype: DType;
  /** Dimensions. */
  shape: number[];
  /** Checksum (by the record's `checksum` algorithm) of the tensor's `length` bytes at `offset`, computed when the state was captured. */
  checksum: number;
  /** Byte offset of the row-major values (platform, i.e. little-endian, byte order) in `data`: the previous tensor's end rounded up to CHECKPOINT_TENSOR_ALIGN_BYTES. */
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

/** How a record's tensor checksums are computed: CRC32C (formats 1 and 2) or xxHash32 (format 3, about three times faster; see xxh32.ts). */
export type ChecksumKind = 'crc32c' | 'xxh32';

/** The function and the display name of each checksum kind. */
const CHECKSUMS: Record<ChecksumKind, { of: (bytes: Uint8Array) => number; name: string }> = {
  crc32c: { of: crc32c, name: 'CRC32C' },
  xxh32: { of: xxh32, name: 'xxHash32' },
};

/** Display name of a checksum kind, e.g. 'xxHash32'. */
export const checksumName = (kind: ChecksumKind): string => CHECKSUMS[kind].name;

/** One checkpoint in memory; stored as one object in format 2, and in format 3 as `data` (bare) plus the rest (see commit.ts). */
export interface CheckpointRecord {
  /** CHECKPOINT_FORMAT_VERSION of the code that wrote it. */
  formatVersion: number;
  /** Algorithm of the tensors' checksums: 'xxh32' for what this code saves, 'crc32c' for format 1 and 2 records (kept when they are imported again). */
  checksum: ChecksumKind;
  /** Metadata. */
  meta: CheckpointMeta;
  /** Tensor leaves in path order. */
  tensors: StoredTensor[];
  /** Number leaves in path order. */
  numbers: StoredNumber[];
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
  /** CRC32C over the tensor checksums and number leaves in path order: equal digests mean bit-identical states. */
  digest: number;
  /** Slot whose keys hold the checkpoint (format 3); absent for a format 1 or 2 record, stored under its step. */
  slot?: number;
}

const ARRAYS: Record<DType, { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
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
/** Where the tensor after one ending at `end` starts. */
const alignUp = (end: number) => Math.ceil(end / CHECKPOINT_TENSOR_ALIGN_BYTES) * CHECKPOINT_TENSOR_ALIGN_BYTES;
/** Format versions whose records and files this code reads (1 is packed on the way in; 2 and 3 differ only in how they are stored). */
const READABLE_VERSIONS: readonly number[] = [1, 2, CHECKPOINT_FORMAT_VERSION];

/** The state as one tree with top-level keys model, optimizer and pipeline, the form paths are taken from. */
export function stateTree(state: TrainState): Tree {
  return { model: state.model, optimizer: state.optimizer, pipeline: state.pipeline };
}

/**
 * Captures a state now: copies every tensor's bytes, once, into one packed
 * buffer, so later mutation of the live arrays never reaches the record. The
 * copy is the only one: snapshots are already private arrays, so no
 * defensive copy comes first. Checksums are left 0 for checksumRecord, which
 * may run later and elsewhere (the writer worker): the bytes are the record's own.
 *
 * `reuse`, a buffer the caller no longer needs (an earlier record's, once
 * committed), is packed into when its size fits, gaps zeroed: copying into
 * memory already mapped is about ten times faster than into a fresh buffer
 * (0.12 against 1.45 ms for 1.2 MiB here), which pays a page fault per page.
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
    checksum: 'xxh32',
    meta: { ...meta, fingerprint: { ...meta.fingerprint }, losses: [...meta.losses] },
    tensors,
    numbers,
    data,
  };
}

/** Sets every tensor's checksum from its packed bytes (where they are stored: the checksum vouches for exactly what the record holds); returns the record. */
export function checksumRecord(record: CheckpointRecord): CheckpointRecord {
  const { of } = CHECKSUMS[record.checksum];
  for (const t of record.tensors) t.checksum = of(new Uint8Array(record.data, t.offset, t.length));
  return record;
}

/** A complete record of `state` now: packRecord, then checksumRecord. */
export function encodeRecord(state: TrainState, meta: CheckpointMeta): CheckpointRecord {
  return checksumRecord(packRecord(state, meta));
}

/** The manifest summary of a record. */
export function recordInfo(record: CheckpointRecord): CheckpointInfo {
  const words = new Float64Array([...record.tensors.map((t) => t.checksum), ...record.numbers.map((n) => n.value)]);
  return {
    step: record.meta.step,
    savedAtMs: record.meta.savedAtMs,
    bytes: record.tensors.reduce((n, t) => n + t.length, 0) + 8 * record.numbers.length,
    tensorCount: record.tensors.length,
    digest: crc32c(words),
  };
}

/**
 * Throws CheckpointCorruptError unless `version` is one this code reads;
 * `what` names the object for the message. `readable` defaults to the
 * checkpoint record and file versions; the manager passes the manifest's.
 */
export function checkFormatVersion(version: unknown, what: string, readable: readonly number[] = READABLE_VERSIONS): void {
  if (readable.includes(version as number)) return;
  const newest = Math.max(...readable);
  const message = isUint(version) && version > newest
    ? `${what} uses format version ${version}, newer than this app reads (${newest}); open it with a newer Resumable`
    : `${what} has unknown format version ${JSON.stringify(version)}; this app reads version ${readable.join(' and ')}`;
  throw new CheckpointCorruptError(message, { version, supported: readable });
}

/**
 * Checks the shape of every field of an untrusted record and returns a clean
 * copy in the current format (a format 1 record is packed into one buffer);
 * offsets, lengths and checksums are left to decodeRecord.
 */
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
  const legacy = x.formatVersion === 1;
  // Formats 1 and 2 stored CRC32C in a field named for it; format 3 names its algorithm.
  const current = x.formatVersion === CHECKPOINT_FORMAT_VERSION;
  if (current && !(x.checksum === 'crc32c' || x.checksum === 'xxh32')) return bad('checksum kind');
  const checksum: ChecksumKind = current ? x.checksum as ChecksumKind : 'crc32c';
  const sumField = current ? 'checksum' : 'crc32c';
  if (!legacy && !(x.data instanceof ArrayBuffer)) return bad('tensor data');
  const common = (t: unknown, i: number) => {
    if (!(isObj(t) && isPath(t.path) && isDType(t.dtype) && Array.isArray(t.shape) && t.shape.every(isUint)
      && isUint(t[sumField]) && (t[sumField] as number) <= 0xffffffff)) return bad(`tensor #${i}`);
    return { path: t.path, dtype: t.dtype, shape: [...t.shape as number[]], checksum: t[sumField] as number };
  };
  let tensors: StoredTensor[];
  let data: ArrayBuffer;
  if (legacy) {
    // Format 1: one ArrayBuffer per tensor. Packed here (one copy) with the lengths as stored, so decodeRecord reports a short one as truncated.
    const parts = x.tensors.map((t: unknown, i) => {
      const c = common(t, i);
      const bytes = (t as Obj).bytes;
      return bytes instanceof ArrayBuffer ? { ...c, bytes } : bad(`tensor #${i}`);
    });
    let end = 0;
    tensors = parts.map(({ bytes, ...c }) => {
      const offset = alignUp(end);
      end = offset + bytes.byteLength;
      return { ...c, offset, length: bytes.byteLength };
    });
    data = new ArrayBuffer(end);
    const packed = new Uint8Array(data);
    parts.forEach((p, i) => packed.set(new Uint8Array(p.bytes), tensors[i].offset));
  } else {
    tensors = x.tensors.map((t: unknown, i): StoredTensor => {
      const c = common(t, i);
      const { offset, length } = t as Obj;
      return isUint(offset) && isUint(length) ? { ...c, offset, length } : bad(`tensor #${i}`);
    });
    data = x.data as ArrayBuffer;
  }
  const numbers = x.numbers.map((n: unknown, i): StoredNumber => {
    if (!(isObj(n) && isPath(n.path) && typeof n.value === 'number')) return bad(`number leaf #${i}`);
    return { path: n.path, value: n.value };
  });
  const meta: CheckpointMeta = {
    step: m.step, runId: m.runId, fingerprint: { ...m.fingerprint }, backend: m.backend, adapter: m.adapter,
    losses: [...m.losses], savedAtMs: m.savedAtMs,
  };
  return { formatVersion: CHECKPOINT_FORMAT_VERSION, checksum, meta, tensors, numbers, data };
}

/**
 * Where each tensor of a checked record lies, verified against the packed
 * layout: its length is what its shape needs, it starts where the layout puts
 * it, and it ends inside `data`. Returns the per-tensor problem (or null)
 * and what is wrong with the buffer as a whole (or null).
 */
function layoutProblems(record: CheckpointRecord): { perTensor: Array<string | null>; whole: string | null } {
  let end = 0;
  const perTensor = record.tensors.map((t) => {
    const want = byteSize(t.dtype, t.shape);
    const at = alignUp(end);
    end = at + t.length;
    if (t.length !== want) return `is ${t.length < want ? 'truncated' : 'oversized'}: ${t.length} bytes stored, shape [${t.shape}] ${t.dtype} needs ${want}`;
    if (t.offset !== at) return `is stored at byte ${t.offset} of the checkpoint data, where the packed layout puts it at ${at}`;
    if (t.offset + t.length > record.data.byteLength) {
      return `is truncated: only ${Math.max(0, record.data.byteLength - t.offset)} of its ${t.length} bytes are stored`;
    }
    return null;
  });
  const whole = record.data.byteLength > end ? `its tensor data has ${record.data.byteLength - end} bytes past the last tensor` : null;
  return { perTensor, whole };
}

/** Checksum verdict of one stored tensor of a checked record (false when it does not lie inside the data). */
export function tensorChecksumOk(record: CheckpointRecord, t: StoredTensor): boolean {
  if (t.offset + t.length > record.data.byteLength) return false;
  return CHECKSUMS[record.checksum].of(new Uint8Array(record.data, t.offset, t.length)) === t.checksum;
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
  const { perTensor, whole } = layoutProblems(record);
  record.tensors.forEach((t, i) => {
    const problem = perTensor[i];
    if (problem !== null) corrupt(t.path, problem);
    const sum = CHECKSUMS[record.checksum].of(new Uint8Array(record.data, t.offset, t.length));
    if (sum !== t.checksum) corrupt(t.path, `failed its ${checksumName(record.checksum)} check (stored ${hex(t.checksum)}, computed ${hex(sum)})`);
    // A view, not a copy: the record's buffer came out of IndexedDB (or a file) as this decode's own, and the layout keeps it aligned.
    const Array_ = ARRAYS[t.dtype];
    insert(t.path, { kind: 'tensor', dtype: t.dtype, shape: t.shape, data: new Array_(record.data, t.offset, t.length / Array_.BYTES_PER_ELEMENT) });
  });
  if (whole !== null) {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is corrupt: ${whole}`, { step, path: '' });
  }
  for (const n of record.numbers) insert(n.path, n.value);
  return { record, tree };
}

/** Tag for numbers JSON cannot hold (NaN, ±Infinity, -0), so a header keeps every float64 exactly. */
const F64 = '$f64';
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/**
 * A checkpoint as one self-checking file: magic, u32 header length, JSON
 * header, the record's packed tensor bytes (offsets in the header count from
 * their start), u32 CRC32C of all before it (little-endian).
 */
export function encodeCheckpointFile(record: CheckpointRecord): Uint8Array {
  const tensors = record.tensors.map(({ path, dtype, shape, checksum, offset, length }) => ({ path, dtype, shape, checksum, offset, length }));
  const json = JSON.stringify(
    { formatVersion: record.formatVersion, checksum: record.checksum, meta: record.meta, tensors, numbers: record.numbers },
    (_key, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? { [F64]: Object.is(v, -0) ? '-0' : String(v) } : v),
  );
  const header = new TextEncoder().encode(json);
  const out = new Uint8Array(MIN_FILE_BYTES + header.length + record.data.byteLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setUint32(MAGIC.length, header.length, true);
  let at = MAGIC.length + 4;
  out.set(header, at);
  at += header.length;
  out.set(new Uint8Array(record.data), at);
  at += record.data.byteLength;
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
  for (const [i, t] of header.tensors.entries()) {
    if (!isObj(t) || !isUint(t.offset) || !isUint(t.length) || t.offset + t.length > body.length) {
      bad(`tensor #${i} does not lie inside the file`);
    }
  }
  if (header.formatVersion === 1) {
    // A format 1 file: tensors back to back, unaligned; cut them out as format 1 records held them, and checkRecord packs them.
    const tensors = (header.tensors as Obj[]).map((t) => ({ ...t, bytes: body.slice(t.offset as number, (t.offset as number) + (t.length as number)).buffer }));
    return decodeRecord({ ...header, tensors }).record;
  }
  // slice(): the record owns an aligned copy (the file's view may start at any byte).
  return decodeRecord({ ...header, data: body.slice().buffer }).record;
}
