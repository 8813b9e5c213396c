import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT_VERSION } from '../core/constants';
import { CheckpointCorruptError, InvalidInputError } from '../core/errors';
import { getLeaf, tensorLeaf, type TensorLeaf, type TrainState, type Tree } from '../core/tree';
import { bitsOf, expectSameBits, meta, state, trickyBits } from './testing';
import { xxh32 } from '../core/hashes';
import { checkHeader, checksumRecord, decodeCheckpoint, encodeRecord, packRecord, recordInfo, type CheckpointRecord } from './format';

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** A record as stored: its header and data values, as IndexedDB hands them back (structured clones). */
function decodeRecord(record: CheckpointRecord | Record<string, unknown>) {
  const { data, ...header } = structuredClone(record) as CheckpointRecord;
  return decodeCheckpoint(header, data);
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
    const { record, tree } = decodeRecord(encodeRecord(state(), meta()));
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
    expect(corruptMessage(() => decodeRecord(packed))).toMatch(/model\/dense_0\/bias failed its checksum/);
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
    expect(msg).toContain('failed its checksum');
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
    for (const t of record.tensors) expect(t.checksum).toBe(xxh32(new Uint8Array(record.data, t.offset, t.length)));
    const { data, ...header } = record;
    const { tree } = decodeCheckpoint(header, data);
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

  it('refuses a newer or unknown format version with a clear message', () => {
    const newer = { ...encodeRecord(state(), meta()), formatVersion: CHECKPOINT_FORMAT_VERSION + 1 };
    expect(corruptMessage(() => decodeRecord(newer))).toMatch(/newer than this app reads/);
    expect(corruptMessage(() => decodeRecord({ ...newer, formatVersion: 'x' }))).toMatch(/format version "x"; this app reads version \d+ only/);
    expect(corruptMessage(() => decodeRecord({ ...newer, formatVersion: CHECKPOINT_FORMAT_VERSION - 1 }))).toMatch(/reads version \d+ only/);
  });

  it('turns malformed records into CheckpointCorruptError, never a TypeError', () => {
    const good = encodeRecord(state(), meta());
    const cases: unknown[] = [
      null, 7, [], {}, { ...good, meta: null }, { ...good, meta: { ...good.meta, losses: ['a'] } }, { ...good, tensors: {} },
      { ...good, tensors: [null] }, { ...good, data: new Uint8Array(8) }, { ...good, data: undefined },
      { ...good, tensors: [{ ...good.tensors[0], offset: -8 }] }, { ...good, tensors: [{ ...good.tensors[0], length: '8' }] },
      { ...good, tensors: [{ ...good.tensors[0], dtype: 'float64' }] }, { ...good, tensors: [{ ...good.tensors[0], shape: [-1] }] },
      { ...good, numbers: [{ path: '__proto__/x', value: 1 }] }, { ...good, numbers: [{ path: 'a', value: '1' }] },
      { ...good, numbers: [...good.numbers, good.numbers[0]] },
      { ...good, numbers: [{ path: 'model/dense_0/bias/x', value: 1 }] },
      { ...good, numbers: [{ path: 'model/dense_0', value: 1 }] },
    ];
    for (const c of cases) {
      const { data, ...header } = (c ?? {}) as CheckpointRecord;
      expect(() => decodeCheckpoint(c === null || typeof c !== 'object' || Array.isArray(c) ? c : header, data)).toThrow(CheckpointCorruptError);
    }
  });

  it('checkHeader returns a clean copy without unknown fields', () => {
    const { data: _data, ...header } = encodeRecord(state(), meta());
    const record = checkHeader({ ...header, junk: 1 });
    expect(Object.keys(record).sort()).toEqual(['formatVersion', 'meta', 'numbers', 'tensors']);
    expect(Object.keys(record.tensors[0]).sort()).toEqual(['checksum', 'dtype', 'length', 'offset', 'path', 'shape']);
  });
});

describe('recordInfo', () => {
  it('sums bytes, counts tensors and digests the content', () => {
    const a = recordInfo(encodeRecord(state(), meta()), 2);
    expect(a).toMatchObject({ step: 10, savedAtMs: 1234.5, tensorCount: 5, bytes: 32 + 8 + 8 + 2 + 12 + 8 * 5, slot: 2 });
    expect(recordInfo(encodeRecord(state(), meta(30)), 0).digest).toBe(a.digest);
    const changed = state();
    (changed.pipeline as Tree).big = 0;
    expect(recordInfo(encodeRecord(changed, meta()), 2).digest).not.toBe(a.digest);
  });
});
