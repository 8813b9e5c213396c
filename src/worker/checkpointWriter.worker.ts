/**
 * The checkpoint writer worker: commits the checkpoints of the worker that
 * created it (the engine worker or the bench worker), so IndexedDB's put
 * (serialization and Blob wrapping, ~4–5 ms per 1.2 MiB here) and the
 * transaction's own work run beside training instead of between its steps. It holds no state: each request
 * carries its whole commit plan (src/checkpoint/writer.ts). Created by a
 * worker, it ends with that worker, so killing the engine mid-write aborts
 * the open transaction as before.
 */
import type { UseStore } from 'idb-keyval';
import { createStrictStore, serveCommits, type WriterScope } from '../checkpoint';

const stores = new Map<string, UseStore>();

serveCommits(self as unknown as WriterScope, (dbName) => {
  let store = stores.get(dbName);
  if (!store) stores.set(dbName, (store = createStrictStore(dbName)));
  return store;
});
