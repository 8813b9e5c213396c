import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE_MAGIC } from '../core/constants';
import { CheckpointCorruptError, InvalidInputError } from '../core/errors';
import { xxh32 } from '../core/hashes';
import { decodeCheckpointFile, encodeCheckpointFile } from './file';
import { decodeCheckpoint, encodeRecord, type CheckpointRecord } from './format';
import { expectSameBits, meta, state } from './testing';

const treeOf = (r: CheckpointRecord) => { const { data, ...header } = r; return decodeCheckpoint(header, data).tree; };

/** Deterministic byte generator (xorshift32) for garbage inputs. */
function garbage(seed: number, n: number): Uint8Array {
  let x = seed || 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x & 0xff;
  });
}

/** Rewrites a file's header JSON and recomputes every length and the trailer, to reach the checks behind the file checksum. */
function withHeader(file: Uint8Array, edit: (h: Record<string, unknown>) => unknown): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset);
  const headerLen = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(12, 12 + headerLen)));
  const json = new TextEncoder().encode(typeof edit(header) === 'string' ? (edit(header) as string) : JSON.stringify(header));
  return reseal(concat(file.subarray(0, 8), u32(json.length), json, file.subarray(12 + headerLen, file.length - 4), u32(0)));
}
const u32 = (n: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
function reseal(file: Uint8Array): Uint8Array {
  new DataView(file.buffer, file.byteOffset).setUint32(file.length - 4, xxh32(file.subarray(0, file.length - 4)), true);
  return file;
}

const corruptMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointCorruptError);
    return (e as Error).message;
  }
  throw new Error('expected a CheckpointCorruptError');
};

describe('checkpoint file', () => {
  const file = () => encodeCheckpointFile(encodeRecord(state(), meta()));

  it('round-trips bit-exactly, including non-finite and negative-zero numbers', () => {
    const bytes = file();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(CHECKPOINT_FILE_MAGIC);
    const record = decodeCheckpointFile(bytes);
    expect(record.meta).toEqual(meta());
    expect(Object.is(record.meta.losses[2], -0)).toBe(true);
    expectSameBits(treeOf(record), state());
    expect(encodeCheckpointFile(record)).toEqual(bytes);
  });

  it('reads a file held in an unaligned view of a larger buffer', () => {
    const bytes = file();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expectSameBits(treeOf(decodeCheckpointFile(padded.subarray(3))), state());
  });

  it('catches truncation at every length', () => {
    const bytes = file();
    for (let n = 0; n < bytes.length; n++) expect(() => decodeCheckpointFile(bytes.subarray(0, n))).toThrow(CheckpointCorruptError);
  });

  it('catches a single flipped bit anywhere in the file', () => {
    const bytes = file();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = bytes.slice();
      copy[bit >> 3] ^= 1 << (bit & 7);
      expect(() => decodeCheckpointFile(copy), `bit ${bit}`).toThrow(CheckpointCorruptError);
    }
  });

  it('rejects random garbage, with or without the right magic, with a clear message', () => {
    const magic = new TextEncoder().encode(CHECKPOINT_FILE_MAGIC);
    for (let seed = 1; seed <= 200; seed++) {
      const junk = garbage(seed, seed * 3);
      expect(() => decodeCheckpointFile(junk)).toThrow(CheckpointCorruptError);
      expect(() => decodeCheckpointFile(reseal(concat(magic, junk, u32(0))))).toThrow(CheckpointCorruptError);
    }
    expect(corruptMessage(() => decodeCheckpointFile(garbage(1, 100)))).toContain(`does not start with "${CHECKPOINT_FILE_MAGIC}"`);
    expect(corruptMessage(() => decodeCheckpointFile(new Uint8Array(3)))).toMatch(/only 3 bytes/);
  });

  it('rejects bad headers behind a valid file checksum, naming the problem', () => {
    const bytes = file();
    const cases: Array<[(h: Record<string, unknown>) => unknown, RegExp]> = [
      [() => '{not json', /not valid UTF-8 JSON/],
      [() => '[1,2]', /malformed: not an object/],
      [(h) => { h.formatVersion = 99; }, /format version 99, newer/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].offset = 1e9; }, /model\/dense_0\/bias is stored at byte 1000000000/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].length = 2; }, /truncated/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].checksum = 1; }, /model\/dense_0\/bias failed its checksum/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].dtype = 'float16'; }, /malformed: tensor #0/],
      [(h) => { (h.meta as Record<string, unknown>).losses = [{ $f64: 'oops' }]; }, /unknown special number "oops"/],
      [(h) => { delete h.meta; }, /malformed: meta/],
    ];
    for (const [edit, message] of cases) expect(corruptMessage(() => decodeCheckpointFile(withHeader(bytes, edit)))).toMatch(message);
    const badUtf8 = bytes.slice();
    badUtf8[12] = 0xff;
    expect(corruptMessage(() => decodeCheckpointFile(reseal(badUtf8)))).toMatch(/not valid UTF-8 JSON/);
    const longHeader = bytes.slice();
    new DataView(longHeader.buffer).setUint32(8, bytes.length, true);
    expect(corruptMessage(() => decodeCheckpointFile(reseal(longHeader)))).toMatch(/header length runs past/);
  });

  it('refuses something that is not bytes with InvalidInputError', () => {
    expect(() => decodeCheckpointFile(CHECKPOINT_FILE_MAGIC as unknown as Uint8Array)).toThrow(InvalidInputError);
  });

  it('keeps an empty state and empty losses', () => {
    const empty: CheckpointRecord = encodeRecord({ model: {}, optimizer: {}, pipeline: {} }, { ...meta(0), losses: [] });
    expect(decodeCheckpointFile(encodeCheckpointFile(empty))).toEqual(empty);
  });
});
