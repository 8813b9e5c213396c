/**
 * Raw IndexedDB operations on a checkpoint's bytes, without the checkpoint
 * layer: the storage ceiling that sections 3a and 4 compare a commit with.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { stateTree } from '../../../checkpoint/format';
import { STORE_NAME } from '../../../core/constants';
import { flattenTree, isTensorLeaf, type TrainState } from '../../../core/tree';
import { BENCH_DB_NAME } from '../context';

/** The tensor bytes of a state back to back (padded with 8 per number leaf), so a raw put stores what a checkpoint stores. */
export function stateBytes(state: TrainState): ArrayBuffer {
  const leaves = flattenTree(stateTree(state)).map(([, leaf]) => leaf);
  let size = 0;
  for (const l of leaves) size += isTensorLeaf(l) ? l.data.byteLength : 8;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const l of leaves) {
    if (isTensorLeaf(l)) {
      out.set(new Uint8Array(l.data.buffer, l.data.byteOffset, l.data.byteLength), at);
      at += l.data.byteLength;
    } else {
      view.setFloat64(at, l, true);
      at += 8;
    }
  }
  return out.buffer;
}

/** One put in one transaction through the strict store. */
export async function rawStrictPut(store: UseStore, key: string, value: ArrayBuffer): Promise<void> {
  await store('readwrite', (os) => {
    os.put(value, key);
    return promisifyRequest(os.transaction);
  });
}

/**
 * A get awaited, then two puts, in one strict transaction: a write that
 * reads its manifest before writing, which costs a round trip the manager
 * saves by keeping the manifest in memory.
 */
export async function rawGetPut(store: UseStore, key: string, value: ArrayBuffer): Promise<void> {
  await store('readwrite', async (os) => {
    const manifest: unknown = await promisifyRequest(os.get(`${key}/manifest`));
    os.put(value, key);
    os.put({ manifest: manifest ?? null, key }, `${key}/manifest`);
    return promisifyRequest(os.transaction);
  });
}

let relaxedDb: Promise<IDBDatabase> | null = null;
/** One put in one relaxed-durability transaction (the database exists: the strict store made it). */
export async function rawRelaxedPut(key: string, value: ArrayBuffer): Promise<void> {
  relaxedDb ??= promisifyRequest(indexedDB.open(BENCH_DB_NAME));
  const tx = (await relaxedDb).transaction(STORE_NAME, 'readwrite', { durability: 'relaxed' });
  tx.objectStore(STORE_NAME).put(value, key);
  await promisifyRequest(tx);
}

/** Deletes keys the raw operations wrote, in one transaction. */
export async function deleteKeys(store: UseStore, keys: string[]): Promise<void> {
  await store('readwrite', (os) => {
    for (const k of keys) os.delete(k);
    return promisifyRequest(os.transaction);
  });
}
