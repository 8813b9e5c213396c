/**
 * The checkpoint writer worker: commits the checkpoints of the worker that
 * created it (the engine worker or the bench worker), off the training
 * thread. It holds no state: each request carries its whole commit plan
 * (src/checkpoint/writer.ts). Created by a worker, it ends with that worker,
 * so killing the engine mid-write aborts the open transaction.
 */
import { createStrictStore, serveCommits, type Store } from '../checkpoint';
import type { RpcScope } from '../core/rpc';

const stores = new Map<string, Store>();

serveCommits(self as unknown as RpcScope, (dbName) => {
  let store = stores.get(dbName);
  if (!store) stores.set(dbName, (store = createStrictStore(dbName)));
  return store;
});
