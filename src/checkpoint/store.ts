/**
 * The IndexedDB store behind every run, and the layout of keys inside it.
 *
 * idb-keyval's createStore cannot ask for `durability: 'strict'`, and without
 * it Chromium may report a commit before the data reaches the disk, so a crash
 * right after a "committed" checkpoint could lose it. Hence this store.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { DB_NAME, STORE_NAME } from '../core/constants';
import { InvalidInputError, StorageFullError } from '../core/errors';

/** A key-value store over one IndexedDB object store whose transactions are strict (idb-keyval's UseStore). */
export type Store = UseStore;

/** True for a StorageFullError or a browser quota error (a DOMException named QuotaExceededError). */
export function isStorageFull(e: unknown): boolean {
  return e instanceof StorageFullError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError');
}

/**
 * An idb-keyval store whose transactions use strict durability. When the
 * callback throws or its promise rejects, the transaction is aborted so none
 * of its requests commit, and a quota error comes out as StorageFullError.
 */
export function createStrictStore(dbName = DB_NAME, storeName = STORE_NAME): UseStore {
  let dbp: Promise<IDBDatabase> | undefined;
  const getDB = (): Promise<IDBDatabase> => {
    if (!dbp) {
      const request = indexedDB.open(dbName);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName);
      dbp = promisifyRequest(request);
      dbp.then((db) => {
        db.onclose = () => { dbp = undefined; };
        // Give way to another tab that deletes or upgrades the database instead of blocking it.
        db.onversionchange = () => { db.close(); dbp = undefined; };
      }, () => { dbp = undefined; });
    }
    return dbp;
  };
  return async <T>(txMode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>): Promise<T> => {
    const tx = (await getDB()).transaction(storeName, txMode, { durability: 'strict' });
    try {
      return await callback(tx.objectStore(storeName));
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // Already aborted or committed: nothing left to undo.
      }
      throw isStorageFull(e) && !(e instanceof StorageFullError)
        ? new StorageFullError('Storage is full: the write was not committed; earlier data is intact', { cause: String(e) })
        : e;
    }
  };
}

/** Where one run's data lives in the store. */
export interface RunKeys {
  /** Common prefix of every key of the run. */
  prefix: string;
  /** Key of the run's manifest (its list of committed checkpoints). */
  manifest: string;
  /** Key of the run's RunRecord. */
  record: string;
  /** Key range covering every key of the run. */
  range: IDBKeyRange;
  /** Key of the packed tensor bytes (a bare ArrayBuffer) of the checkpoint in slot `slot`. */
  slotData: (slot: number) => string;
  /** Key of the header (meta, tensor table, number leaves) of the checkpoint in slot `slot`. */
  slotHeader: (slot: number) => string;
  /** Key a commit (or deleteRun) adds to claim generation `n` of the run (zero-padded, so keys sort by generation); add() fails if another writer claimed it first. */
  generation: (n: number) => string;
  /** Key range of the run's generation claims. */
  generationRange: IDBKeyRange;
}

const RUN_PREFIX = 'run/';

function checkWhole(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidInputError(`invalid ${what} ${n}: it must be a whole number ≥ 0`, { [what]: n });
  return n;
}

/** The keys of a run; throws InvalidInputError for an empty run id or one containing '/'. */
export function runKeys(runId: string): RunKeys {
  if (typeof runId !== 'string' || runId === '' || runId.includes('/')) {
    throw new InvalidInputError(`invalid run id ${JSON.stringify(runId)}: it must be non-empty and contain no '/'`, { runId });
  }
  const prefix = `${RUN_PREFIX}${runId}/`;
  return {
    prefix,
    manifest: `${prefix}manifest`,
    record: `${prefix}record`,
    range: IDBKeyRange.bound(prefix, `${prefix}\uffff`),
    slotData: (slot) => `${prefix}slot/${checkWhole(slot, 'slot')}/data`,
    slotHeader: (slot) => `${prefix}slot/${checkWhole(slot, 'slot')}/header`,
    generation: (n) => `${prefix}gen/${String(checkWhole(n, 'generation')).padStart(10, '0')}`,
    generationRange: IDBKeyRange.bound(`${prefix}gen/`, `${prefix}gen/\uffff`),
  };
}

/** Key range covering every run's keys. */
export const allRunsRange = (): IDBKeyRange => IDBKeyRange.bound(RUN_PREFIX, `${RUN_PREFIX}\uffff`);

/** The generation a key from RunKeys.generation claims, or undefined for any other key. */
export function parseGeneration(key: IDBValidKey): number | undefined {
  const m = typeof key === 'string' ? /^run\/[^/]+\/gen\/(\d+)$/.exec(key) : null;
  return m ? Number(m[1]) : undefined;
}

/** Run id and remainder ('manifest', 'record', 'slot/…') of a store key, or undefined for a key outside the run layout. */
export function parseRunKey(key: IDBValidKey): { runId: string; rest: string } | undefined {
  const m = typeof key === 'string' ? /^run\/([^/]+)\/(.+)$/.exec(key) : null;
  return m ? { runId: m[1], rest: m[2] } : undefined;
}
