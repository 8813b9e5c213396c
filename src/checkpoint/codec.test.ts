import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT_VERSION } from '../constants';
import { CheckpointCorruptError, InvalidInputError } from '../engine/errors';
import { getLeaf, tensorLeaf, type TensorLeaf, type TrainState, type Tree } from '../engine/tree';
import {
  checkRecord, checksumRecord, decodeCheckpointFile, decodeRecord, encodeCheckpointFile, encodeRecord, packRecord, recordInfo,
  type CheckpointMeta, type CheckpointRecord,
} from './codec';
import { crc32c } from './crc32c';
import { xxh32 } from './xxh32';

/** Float32 values whose bits a careless codec would change: -0, NaN payloads, denormals, infinities. */
const trickyBits = new Uint32Array([0x80000000, 0x7fc00001, 0xffbfffff, 0x7f800001, 0x00000001, 0x807fffff, 0x7f800000, 0x3f800000]);

function state(): TrainState {
  return {
    model: { dense_0: { kernel: tensorLeaf(new Float32Array(trickyBits.buffer.slice(0)), [2, 4]), bias: tensorLeaf(new Float32Array([0.5, -2]), [2]) } },
    optimizer: { step: 7, slots: { m: tensorLeaf(new Float32Array([1e-40, 3]), [2]) } },
    pipeline: { cursor: -0, epoch: NaN, big: 2 ** 53 - 1, inf: -Infinity, order: tensorLeaf(new Int32Array([-1, 2 ** 31 - 1, 0]), [3]), mask: tensorLeaf(new Uint8Array([0, 255]), [2]) },
  };
}

const meta = (step = 10): CheckpointMeta => ({
  step, runId: 'r1', fingerprint: { hidden: '32x32', batch: 32 }, backend: 'cpu', adapter: '', losses: [1.25, NaN, -0, Infinity], savedAtMs: 1234.5,
});

const bitsOf = (leaf: unknown) => Array.from(new Uint32Array((leaf as TensorLeaf).data.slice().buffer));

/** Asserts that every leaf of `got` has the same dtype, shape and bit pattern as in `want`. */
function expectSameBits(got: Tree, want: TrainState) {
  for (const path of ['model/dense_0/kernel', 'model/dense_0/bias', 'optimizer/slots/m', 'pipeline/order']) {
    const [g, w] = [getLeaf(got, path) as TensorLeaf, getLeaf(want as unknown as Tree, path) as TensorLeaf];
    expect([g.dtype, g.shape, bitsOf(g)]).toEqual([w.dtype, w.shape, bitsOf(w)]);
    expect(g.data.constructor).toBe(w.data.constructor);
  }
  expect(Array.from((getLeaf(got, 'pipeline/mask') as TensorLeaf).data)).toEqual([0, 255]);
  expect(Object.is(getLeaf(got, 'pipeline/cursor'), -0)).toBe(true);
  expect(getLeaf(got, 'pipeline/epoch')).toBeNaN();
  expect(getLeaf(got, 'pipeline/big')).toBe(2 ** 53 - 1);
  expect(getLeaf(got, 'pipeline/inf')).toBe(-Infinity);
  expect(getLeaf(got, 'optimizer/step')).toBe(7);
}

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
  new DataView(file.buffer, file.byteOffset).setUint32(file.length - 4, crc32c(file.subarray(0, file.length - 4)), true);
  return file;
}

/** A record as format 1 stored it: one ArrayBuffer per tensor, no packed data. */
type Format1Record = Omit<CheckpointRecord, 'tensors' | 'data' | 'checksum'> & {
  tensors: Array<Omit<CheckpointRecord['tensors'][number], 'offset' | 'length' | 'checksum'> & { crc32c: number; bytes: ArrayBuffer }>;
};
function toFormat1(r: CheckpointRecord): Format1Record {
  return {
    formatVersion: 1, meta: r.meta, numbers: r.numbers,
    tensors: r.tensors.map(({ path, dtype, shape, offset, length }) => {
      const bytes = r.data.slice(offset, offset + length);
      return { path, dtype, shape, crc32c: crc32c(bytes), bytes };
    }),
  };
}

/** A format 1 file: the same framing, tensors back to back without alignment. */
function format1File(r: CheckpointRecord): Uint8Array {
  let at = 0;
  const tensors = r.tensors.map(({ path, dtype, shape, offset: packedAt, length }) => {
    const entry = { path, dtype, shape, crc32c: crc32c(new Uint8Array(r.data, packedAt, length)), offset: at, length };
    at += length;
    return entry;
  });
  const json = new TextEncoder().encode(JSON.stringify({ formatVersion: 1, meta: { ...r.meta, losses: [1] }, tensors, numbers: r.numbers.filter((n) => Number.isFinite(n.value) && !Object.is(n.value, -0)) }));
  const body = concat(...r.tensors.map((t) => new Uint8Array(r.data, t.offset, t.length)));
  return reseal(concat(new TextEncoder().encode('RSMBLCK1'), u32(json.length), json, body, u32(0)));
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

describe('encodeRecord / decodeRecord', () => {
  it('round-trips every bit of every leaf and the metadata', () => {
    const { record, tree } = decodeRecord(structuredClone(encodeRecord(state(), meta())));
    expectSameBits(tree, state());
    expect(record.meta).toEqual(meta());
    expect(record.formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
    expect(record.tensors.map((t) => t.path)).toEqual(['model/dense_0/bias', 'model/dense_0/kernel', 'optimizer/slots/m', 'pipeline/mask', 'pipeline/order']);
  });

  it('copies the bytes at encode time, so later mutation of the live arrays is not stored', () => {
    const s = state();
    const m = meta();
    const record = encodeRecord(s, m);
    ((s.model.dense_0 as Tree).bias as TensorLeaf).data[0] = 99;
    m.losses.push(5);
    const { tree } = decodeRecord(record);
    expect(Array.from((getLeaf(tree, 'model/dense_0/bias') as TensorLeaf).data)).toEqual([0.5, -2]);
    expect(record.meta.losses).toHaveLength(4);
  });

  it('packs now and checksums later: packRecord copies at once, checksumRecord completes it like encodeRecord', () => {
    const s = state();
    const packed = packRecord(s, meta());
    expect(packed.tensors.every((t) => t.checksum === 0)).toBe(true);
    ((s.model.dense_0 as Tree).bias as TensorLeaf).data[0] = 99;
    // An unchecksummed record is never accepted as sound.
    expect(corruptMessage(() => decodeRecord(packed))).toMatch(/model\/dense_0\/bias failed its xxHash32 check/);
    expect(checksumRecord(packed)).toEqual(encodeRecord(state(), meta()));
  });

  it('refuses to encode a leaf whose data does not hold its shape and dtype, or a bad key', () => {
    const withLeaf = (leaf: unknown, key = 'w'): TrainState => ({ model: { [key]: leaf as TensorLeaf }, optimizer: {}, pipeline: {} });
    expect(() => encodeRecord(withLeaf({ kind: 'tensor', dtype: 'float32', shape: [3], data: new Float32Array(2) }), meta())).toThrow(/model\/w.*shape \[3\]/);
    expect(() => encodeRecord(withLeaf({ kind: 'tensor', dtype: 'int32', shape: [2], data: new Float32Array(2) }), meta())).toThrow(InvalidInputError);
    expect(() => encodeRecord(withLeaf(1, ''), meta())).toThrow(InvalidInputError);
    expect(() => encodeRecord(withLeaf(1), meta(-1))).toThrow(InvalidInputError);
  });

  it('names the step and tensor path when a single bit of a tensor flips', () => {
    const record = encodeRecord(state(), meta(20));
    new Uint8Array(record.data)[record.tensors[1].offset + 5] ^= 0x10;
    const msg = corruptMessage(() => decodeRecord(record));
    expect(msg).toContain('step 20');
    expect(msg).toContain('model/dense_0/kernel');
    expect(msg).toContain('xxHash32');
  });

  it('reports a wrong tensor length as truncated or oversized', () => {
    const record = encodeRecord(state(), meta(20));
    record.tensors[0].length = 4;
    expect(corruptMessage(() => decodeRecord(record))).toMatch(/step 20.*model\/dense_0\/bias is truncated: 4 bytes stored/);
    record.tensors[0].length = 12;
    expect(corruptMessage(() => decodeRecord(record))).toMatch(/model\/dense_0\/bias is oversized/);
  });

  it('names the first tensor cut off when the packed data is truncated', () => {
    const record = encodeRecord(state(), meta(20));
    const kernel = record.tensors[1];
    record.data = record.data.slice(0, kernel.offset + kernel.length - 6);
    expect(corruptMessage(() => decodeRecord(record))).toMatch(/step 20.*model\/dense_0\/kernel is truncated: only 26 of its 32 bytes/);
  });

  it('refuses a tensor outside the packed layout, and bytes past the last tensor', () => {
    const moved = encodeRecord(state(), meta(20));
    moved.tensors[2].offset += 8;
    expect(corruptMessage(() => decodeRecord(moved))).toMatch(/optimizer\/slots\/m is stored at byte 48 .* puts it at 40/);
    const long = encodeRecord(state(), meta(20));
    long.data = concat(new Uint8Array(long.data), new Uint8Array(3)).buffer;
    expect(corruptMessage(() => decodeRecord(long))).toMatch(/step 20 is corrupt: its tensor data has 3 bytes past the last tensor/);
  });

  it('packs every tensor into one buffer at 8-byte aligned offsets, and restores views of it', () => {
    const record = encodeRecord(state(), meta());
    expect(record.tensors.map((t) => [t.offset, t.length])).toEqual([[0, 8], [8, 32], [40, 8], [48, 2], [56, 12]]);
    expect(record.data.byteLength).toBe(68);
    expect(record.checksum).toBe('xxh32');
    for (const t of record.tensors) expect(t.checksum).toBe(xxh32(new Uint8Array(record.data, t.offset, t.length)));
    const { tree } = decodeRecord(record);
    const order = getLeaf(tree, 'pipeline/order') as TensorLeaf;
    expect(order.data.buffer).toBe(record.data);
    expect(order.data.byteOffset).toBe(56);
  });

  it('packs into a reused buffer of the right size with zeroed gaps, and into a fresh one otherwise', () => {
    // A 3-byte tensor leaves a 5-byte alignment gap before the next one.
    const gappy = (fill: number): TrainState => ({
      model: { a: tensorLeaf(new Uint8Array([fill, fill, fill]), [3]), b: tensorLeaf(new Float32Array([fill, -fill]), [2]) }, optimizer: {}, pipeline: {},
    });
    const first = packRecord(gappy(1), meta());
    new Uint8Array(first.data).fill(0xee);
    const again = packRecord(gappy(2), meta(), first.data);
    expect(again.data).toBe(first.data);
    expect(new Uint8Array(again.data)).toEqual(new Uint8Array(packRecord(gappy(2), meta()).data));
    const other = packRecord(state(), meta(), first.data);
    expect(other.data).not.toBe(first.data);
    expect(bitsOf(getLeaf(decodeRecord(checksumRecord(other)).tree, 'model/dense_0/kernel'))).toEqual(Array.from(trickyBits));
  });

  it('reads a format 1 record (one ArrayBuffer per tensor) bit-exactly, and still names a truncated tensor', () => {
    const v1 = toFormat1(encodeRecord(state(), meta(20)));
    const { record, tree } = decodeRecord(structuredClone(v1));
    expectSameBits(tree, state());
    expect(record.formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
    expect(record.meta).toEqual(meta(20));
    v1.tensors[0].bytes = v1.tensors[0].bytes.slice(0, 4);
    expect(corruptMessage(() => decodeRecord(v1))).toMatch(/step 20.*model\/dense_0\/bias is truncated: 4 bytes stored/);
    new Uint8Array(v1.tensors[1].bytes)[3] ^= 1;
    v1.tensors[0].bytes = toFormat1(encodeRecord(state(), meta(20))).tensors[0].bytes;
    expect(corruptMessage(() => decodeRecord(v1))).toMatch(/model\/dense_0\/kernel failed its CRC32C check/);
  });

  it('refuses a newer or unknown format version with a clear message', () => {
    const newer = { ...encodeRecord(state(), meta()), formatVersion: CHECKPOINT_FORMAT_VERSION + 1 };
    expect(corruptMessage(() => decodeRecord(newer))).toMatch(/newer than this app reads/);
    expect(corruptMessage(() => decodeRecord({ ...newer, formatVersion: 'x' }))).toMatch(/unknown format version "x"/);
  });

  it('turns malformed records into CheckpointCorruptError, never a TypeError', () => {
    const good = encodeRecord(state(), meta());
    const cases: unknown[] = [
      null, 7, [], {}, { ...good, meta: null }, { ...good, meta: { ...good.meta, losses: ['a'] } }, { ...good, tensors: {} },
      { ...good, tensors: [null] }, { ...good, data: new Uint8Array(8) }, { ...good, data: undefined },
      { ...good, tensors: [{ ...good.tensors[0], offset: -8 }] }, { ...good, tensors: [{ ...good.tensors[0], length: '8' }] },
      { ...toFormat1(good), tensors: [{ ...toFormat1(good).tensors[0], bytes: new Uint8Array(8) }] },
      { ...good, tensors: [{ ...good.tensors[0], dtype: 'float64' }] }, { ...good, tensors: [{ ...good.tensors[0], shape: [-1] }] },
      { ...good, numbers: [{ path: '__proto__/x', value: 1 }] }, { ...good, numbers: [{ path: 'a', value: '1' }] },
      { ...good, numbers: [...good.numbers, good.numbers[0]] },
      { ...good, numbers: [{ path: 'model/dense_0/bias/x', value: 1 }] },
      { ...good, numbers: [{ path: 'model/dense_0', value: 1 }] },
    ];
    for (const c of cases) expect(() => decodeRecord(c)).toThrow(CheckpointCorruptError);
  });

  it('checkRecord returns a clean copy without unknown fields', () => {
    const record = checkRecord({ ...encodeRecord(state(), meta()), junk: 1 });
    expect(Object.keys(record).sort()).toEqual(['checksum', 'data', 'formatVersion', 'meta', 'numbers', 'tensors']);
    expect(Object.keys(record.tensors[0]).sort()).toEqual(['checksum', 'dtype', 'length', 'offset', 'path', 'shape']);
  });
});

describe('recordInfo', () => {
  it('sums bytes, counts tensors and digests the content', () => {
    const a = recordInfo(encodeRecord(state(), meta()));
    expect(a).toMatchObject({ step: 10, savedAtMs: 1234.5, tensorCount: 5, bytes: 32 + 8 + 8 + 2 + 12 + 8 * 5 });
    expect(recordInfo(encodeRecord(state(), meta(30))).digest).toBe(a.digest);
    const changed = state();
    (changed.pipeline as Tree).big = 0;
    expect(recordInfo(encodeRecord(changed, meta())).digest).not.toBe(a.digest);
  });
});

describe('checkpoint file', () => {
  const file = () => encodeCheckpointFile(encodeRecord(state(), meta()));

  it('round-trips bit-exactly, including non-finite and negative-zero numbers', () => {
    const bytes = file();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('RSMBLCK1');
    const record = decodeCheckpointFile(bytes);
    expect(record.meta).toEqual(meta());
    expect(Object.is(record.meta.losses[2], -0)).toBe(true);
    expectSameBits(decodeRecord(record).tree, state());
    expect(encodeCheckpointFile(record)).toEqual(bytes);
  });

  it('reads a format 1 file (tensors back to back, unaligned)', () => {
    const record = decodeCheckpointFile(format1File(encodeRecord(state(), meta())));
    expect(record.formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
    const { tree } = decodeRecord(record);
    for (const path of ['model/dense_0/kernel', 'optimizer/slots/m', 'pipeline/order']) {
      expect(bitsOf(getLeaf(tree, path))).toEqual(bitsOf(getLeaf(state() as unknown as Tree, path)));
    }
  });

  it('reads a file held in an unaligned view of a larger buffer', () => {
    const bytes = file();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expectSameBits(decodeRecord(decodeCheckpointFile(padded.subarray(3))).tree, state());
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
    const magic = new TextEncoder().encode('RSMBLCK1');
    for (let seed = 1; seed <= 200; seed++) {
      const junk = garbage(seed, seed * 3);
      expect(() => decodeCheckpointFile(junk)).toThrow(CheckpointCorruptError);
      expect(() => decodeCheckpointFile(reseal(concat(magic, junk, u32(0))))).toThrow(CheckpointCorruptError);
    }
    expect(corruptMessage(() => decodeCheckpointFile(garbage(1, 100)))).toMatch(/does not start with "RSMBLCK1"/);
    expect(corruptMessage(() => decodeCheckpointFile(new Uint8Array(3)))).toMatch(/only 3 bytes/);
  });

  it('rejects bad headers behind a valid file checksum, naming the problem', () => {
    const bytes = file();
    const cases: Array<[(h: Record<string, unknown>) => unknown, RegExp]> = [
      [() => '{not json', /not valid UTF-8 JSON/],
      [() => '[1,2]', /no tensor list/],
      [(h) => { h.formatVersion = 99; }, /format version 99, newer/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].offset = 1e9; }, /tensor #0 does not lie inside the file/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].length = 2; }, /truncated/],
      [(h) => { (h.tensors as Array<Record<string, unknown>>)[0].checksum = 1; }, /model\/dense_0\/bias failed its xxHash32 check/],
      [(h) => { h.checksum = 'md5'; }, /malformed: checksum kind/],
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
    expect(() => decodeCheckpointFile('RSMBLCK1' as unknown as Uint8Array)).toThrow(InvalidInputError);
  });

  it('keeps an empty state and empty losses', () => {
    const empty: CheckpointRecord = encodeRecord({ model: {}, optimizer: {}, pipeline: {} }, { ...meta(0), losses: [] });
    expect(decodeCheckpointFile(encodeCheckpointFile(empty))).toEqual(empty);
  });
});
