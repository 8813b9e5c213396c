import 'fake-indexeddb/auto';
import { get, promisifyRequest, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, StorageFullError } from '../core/errors';
import { allRunsRange, createStrictStore, isStorageFull, parseRunKey, runKeys } from './store';

let dbCount = 0;
const freshStore = () => createStrictStore(`store-test-${dbCount++}`);

describe('createStrictStore', () => {
  it('opens every transaction with strict durability and works with idb-keyval', async () => {
    const store = freshStore();
    await set('k', new Float32Array([1, 2]), store);
    expect(await get('k', store)).toEqual(new Float32Array([1, 2]));
    expect(await store('readonly', (os) => os.transaction.durability)).toBe('strict');
    expect(await store('readwrite', (os) => os.transaction.durability)).toBe('strict');
  });

  it('maps a QuotaExceededError to StorageFullError and rolls back the transaction', async () => {
    const store = freshStore();
    await set('a', 1, store);
    const write = store('readwrite', (os) => {
      os.put(2, 'a');
      os.put(3, 'b');
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await expect(write).rejects.toThrow(StorageFullError);
    await expect(write).rejects.toThrow(/earlier data is intact/);
    expect(await get('a', store)).toBe(1);
    expect(await get('b', store)).toBeUndefined();
  });

  it('passes other errors through unchanged, also rolling back, including rejections after awaited requests', async () => {
    const store = freshStore();
    const boom = new Error('boom');
    await expect(store('readwrite', async (os) => {
      await promisifyRequest(os.put(1, 'x'));
      os.put(2, 'y');
      throw boom;
    })).rejects.toBe(boom);
    expect(await get('x', store)).toBeUndefined();
    expect(await get('y', store)).toBeUndefined();
  });
});

describe('isStorageFull', () => {
  it('recognises quota errors and StorageFullError only', () => {
    expect(isStorageFull(new DOMException('q', 'QuotaExceededError'))).toBe(true);
    expect(isStorageFull(new StorageFullError('full'))).toBe(true);
    expect(isStorageFull(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
  });
});

describe('run keys', () => {
  it('lays out one run under its prefix, generations zero-padded so they sort', () => {
    const k = runKeys('abc');
    expect([k.manifest, k.record, k.slotData(2), k.slotHeader(2), k.generation(42)]).toEqual([
      'run/abc/manifest', 'run/abc/record', 'run/abc/slot/2/data', 'run/abc/slot/2/header', 'run/abc/gen/0000000042',
    ]);
    expect(k.range.includes(k.slotData(7)) && k.range.includes(k.record) && k.range.includes(k.generation(1))).toBe(true);
    expect(k.generationRange.includes(k.generation(9)) && !k.generationRange.includes(k.manifest)).toBe(true);
    expect(k.range.includes('run/abcd/record')).toBe(false);
    expect(allRunsRange().includes(k.manifest)).toBe(true);
    expect(parseRunKey(k.slotHeader(3))).toEqual({ runId: 'abc', rest: 'slot/3/header' });
    expect(parseRunKey('other')).toBeUndefined();
    expect(parseRunKey(5)).toBeUndefined();
  });

  it('refuses run ids that would collide and slots or generations that are not whole', () => {
    expect(() => runKeys('')).toThrow(InvalidInputError);
    expect(() => runKeys('a/slot')).toThrow(InvalidInputError);
    expect(() => runKeys('a').slotData(1.5)).toThrow(InvalidInputError);
    expect(() => runKeys('a').generation(-1)).toThrow(InvalidInputError);
  });
});
