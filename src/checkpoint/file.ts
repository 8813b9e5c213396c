/**
 * A checkpoint as one self-checking file, for export and import: magic,
 * u32 header length, JSON header (the stored header; numbers JSON cannot
 * hold are tagged), the packed tensor bytes (offsets in the header count from
 * their start), and a u32 xxHash32 of everything before it, all little-endian.
 */
import { CHECKPOINT_FILE_MAGIC } from '../core/constants';
import { CheckpointCorruptError, InvalidInputError } from '../core/errors';
import { xxh32 } from '../core/hashes';
import { decodeCheckpoint, isObj, type CheckpointRecord } from './format';

const MAGIC = new TextEncoder().encode(CHECKPOINT_FILE_MAGIC);
/** Magic, header length, trailer checksum: the smallest a file can be. */
const MIN_FILE_BYTES = MAGIC.length + 4 + 4;
/** Tag for numbers JSON cannot hold (NaN, ±Infinity, -0), so a header keeps every float64 exactly. */
const F64 = '$f64';
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The file of a verified record. */
export function encodeCheckpointFile(record: CheckpointRecord): Uint8Array {
  const { data, ...header } = record;
  const json = JSON.stringify(header, (_key, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
    ? { [F64]: Object.is(v, -0) ? '-0' : String(v) } : v));
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(MIN_FILE_BYTES + headerBytes.length + data.byteLength);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setUint32(MAGIC.length, headerBytes.length, true);
  let at = MAGIC.length + 4;
  out.set(headerBytes, at);
  at += headerBytes.length;
  out.set(new Uint8Array(data), at);
  at += data.byteLength;
  view.setUint32(at, xxh32(out.subarray(0, at)), true);
  return out;
}

/** Parses and fully verifies a file; throws CheckpointCorruptError saying what is wrong (InvalidInputError when not given bytes). */
export function decodeCheckpointFile(bytes: Uint8Array): CheckpointRecord {
  if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('A checkpoint file must be given as bytes (Uint8Array)');
  const bad = (why: string): never => {
    throw new CheckpointCorruptError(`Not a valid Resumable checkpoint file: ${why}`, { why, fileBytes: bytes.length });
  };
  if (bytes.length < MIN_FILE_BYTES) bad(`only ${bytes.length} bytes long`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) bad(`it does not start with "${CHECKPOINT_FILE_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (xxh32(bytes.subarray(0, end)) !== view.getUint32(end, true)) bad('file checksum mismatch (damaged or truncated)');
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
  // slice(): the record owns an aligned copy (the file's view may start at any byte).
  return decodeCheckpoint(header, bytes.slice(headerEnd, end).buffer).record;
}
