/**
 * Committing checkpoints in a writer worker, off the training thread: the
 * training thread takes the snapshot and packs it (one copy), then transfers
 * the packed buffer to a writer worker, which checksums it and runs the very
 * same transaction (commitCheckpoint). That is Orbax's async checkpointing,
 * browser-style: IndexedDB's put serializes the value synchronously inside
 * put(), and that cost then lands beside training instead of between its
 * steps. The manager keeps the queue and the manifest cache, so the worker is
 * stateless and commits stay in call order.
 */
import { InvalidInputError } from '../core/errors';
import { RpcClient, serveRpc, type RpcEndpoint, type RpcScope } from '../core/rpc';
import { commitCheckpoint, type CommitPlan, type Manifest } from './commit';
import type { Store } from './store';

/** Runs commit plans; CheckpointManager hands it every checkpoint. */
export interface Committer {
  /** Runs `plan` as commitCheckpoint does, resolving with the manifest committed; `onOpen` as there. */
  commit(plan: CommitPlan, onOpen: (step: number) => void): Promise<Manifest>;
}

/** The writer worker's methods. */
export interface WriterApi {
  /** Commits `plan` to database `dbName`; `token` names the commit in its 'open' message. Hands the packed bytes back. */
  commit: { params: { token: number; dbName: string; plan: CommitPlan }; result: { manifest: Manifest; data: ArrayBuffer } };
}

/** What the writer worker says besides replies: a held transaction is open (the crash-during-write demo). */
export type WriterEvent = { kind: 'open'; token: number; step: number };

/**
 * A Committer that posts plans to a writer worker on database `dbName`,
 * transferring each record's packed bytes (the training thread's copy is
 * detached until the reply hands them back). If the worker fails, the
 * commits it holds fail and later ones run in this thread on `fallback`, so a
 * checkpoint is never silently dropped.
 */
export function workerCommitter(endpoint: RpcEndpoint, dbName: string, fallback: Store): Committer {
  const opens = new Map<number, (step: number) => void>();
  const rpc = new RpcClient<WriterApi, WriterEvent>(endpoint, (e) => opens.get(e.token)?.(e.step), 'checkpoint writer worker');
  let nextToken = 1;
  return {
    async commit(plan, onOpen) {
      if (rpc.broken !== null) return commitCheckpoint(fallback, plan, onOpen);
      const token = nextToken++;
      opens.set(token, onOpen);
      try {
        const { manifest, data } = await rpc.call('commit', { token, dbName, plan }, [plan.record.data]);
        // IndexedDB has copied the bytes: the caller may pack the next checkpoint into them.
        plan.record.data = data;
        return manifest;
      } catch (e) {
        throw rpc.broken !== null && e instanceof Error && e.message === rpc.broken ? new Error(`${rpc.broken}; this checkpoint was not written`) : e;
      } finally {
        opens.delete(token);
      }
    },
  };
}

/** The writer worker's loop: runs each plan on the store `storeFor` gives for its database. */
export function serveCommits(scope: RpcScope, storeFor: (dbName: string) => Store): void {
  serveRpc<WriterApi>(scope, async (req) => {
    const { token, dbName, plan } = req.params;
    if (typeof dbName !== 'string' || dbName === '') throw new InvalidInputError('the checkpoint writer needs a database name', { dbName });
    const manifest = await commitCheckpoint(storeFor(dbName), plan, (step) => scope.postMessage({ kind: 'open', token, step } satisfies WriterEvent));
    return { manifest, data: plan.record.data };
  }, { transferOf: (r) => [(r as WriterApi['commit']['result']).data] });
}
