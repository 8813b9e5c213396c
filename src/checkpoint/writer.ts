/**
 * Committing checkpoints in a writer worker, off the training thread.
 *
 * The bench found IndexedDB's put to be the largest cost a checkpoint puts on
 * the training thread: Chromium serializes the value and wraps anything over
 * 64 KiB into a Blob synchronously inside put(), about 4–5 ms for 1.2 MiB
 * here, more than the snapshot and the packing together; for small
 * checkpoints the transaction's own JavaScript (~0.7 ms a commit) still cost
 * a fast loop several percent. That is Orbax's async checkpointing,
 * browser-style: the training thread takes the snapshot and packs it (one
 * copy), then transfers the packed buffer to a writer worker, which checksums
 * it and runs the very same transaction (commitCheckpoint).
 * The manager keeps the queue and the manifest cache, so the worker is
 * stateless and commits stay in call order.
 */
import type { UseStore } from 'idb-keyval';
import { InvalidInputError, reviveError, serializeError, type SerializedError } from '../engine/errors';
import { commitCheckpoint, type CommitPlan, type Manifest } from './commit';

/** Runs commit plans; CheckpointManager hands it the checkpoints large enough to be worth the trip. */
export interface Committer {
  /** Runs `plan` as commitCheckpoint does, resolving with the manifest committed; `onOpen` as there. */
  commit(plan: CommitPlan, onOpen: (step: number) => void): Promise<Manifest>;
}

/** A request to the writer worker. */
export type WriterRequest = { id: number; dbName: string; plan: CommitPlan };

/** A message from the writer worker: a held transaction is open, or a commit's outcome. */
export type WriterReply =
  | { id: number; kind: 'open'; step: number }
  | { id: number; kind: 'done'; ok: true; manifest: Manifest; data: ArrayBuffer }
  | { id: number; kind: 'done'; ok: false; error: SerializedError };

/** The side of a Worker (or MessagePort) the training thread talks to. */
export interface WriterEndpoint {
  /** Posts a request, transferring the listed buffers. */
  postMessage(message: WriterRequest, transfer: Transferable[]): void;
  /** Receives replies. */
  onmessage: ((e: MessageEvent<WriterReply>) => void) | null;
  /** Set on a Worker: fires when its script fails to load or throws uncaught. */
  onerror?: ((e: ErrorEvent) => void) | null;
  /** Fires when a reply arrives that cannot be deserialized. */
  onmessageerror?: ((e: MessageEvent) => void) | null;
  /** On a Worker: stops it, so a worker given up on cannot commit a stale plan later. */
  terminate?: () => void;
}

/** The writer worker's own scope, as serveCommits needs it. */
export interface WriterScope {
  /** Posts a reply, transferring the listed buffers. */
  postMessage(message: WriterReply, transfer?: Transferable[]): void;
  /** Receives requests. */
  onmessage: ((e: MessageEvent<WriterRequest>) => void) | null;
  /** Fires when a request arrives that cannot be deserialized. */
  onmessageerror?: ((e: MessageEvent) => void) | null;
}

/**
 * A Committer that posts plans to a writer worker on database `dbName`,
 * transferring each record's packed bytes (the training thread's copy is left
 * detached until the reply hands them back, as `plan.record.data`). If the worker fails, pending commits reject and later ones run
 * in this thread on `fallback`, so a checkpoint is never silently dropped.
 */
export function workerCommitter(endpoint: WriterEndpoint, dbName: string, fallback: UseStore): Committer {
  let nextId = 1;
  let broken: string | null = null;
  const waiting = new Map<number, { onOpen: (step: number) => void; resolve: (r: { manifest: Manifest; data: ArrayBuffer }) => void; reject: (e: Error) => void }>();
  endpoint.onmessage = (e) => {
    const reply = e.data;
    const w = waiting.get(reply.id);
    if (!w) return;
    if (reply.kind === 'open') {
      w.onOpen(reply.step);
      return;
    }
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply);
    else w.reject(reviveError(reply.error));
  };
  const giveUp = (why: string) => {
    broken = why;
    // A worker in an unknown state could still commit a plan it holds, behind later ones: stop it.
    endpoint.terminate?.();
    for (const w of waiting.values()) w.reject(new Error(`${broken}; this checkpoint was not written`));
    waiting.clear();
  };
  endpoint.onerror = (e) => {
    // The default would report it as uncaught; it is handled here.
    e.preventDefault();
    giveUp(`the checkpoint writer worker failed: ${e.message || 'unknown error'}`);
  };
  // A reply that cannot be read leaves its commit unanswered; without this its run's write queue would wait forever.
  endpoint.onmessageerror = () => giveUp('a reply from the checkpoint writer worker could not be read');
  return {
    commit(plan, onOpen) {
      if (broken !== null) return commitCheckpoint(fallback, plan, onOpen);
      const id = nextId++;
      return new Promise<Manifest>((resolve, reject) => {
        // The bytes come back with the reply (IndexedDB has copied them), so the caller may reuse the buffer.
        const done = ({ manifest, data }: { manifest: Manifest; data: ArrayBuffer }) => {
          plan.record.data = data;
          resolve(manifest);
        };
        waiting.set(id, { onOpen, resolve: done, reject });
        try {
          endpoint.postMessage({ id, dbName, plan }, [plan.record.data]);
        } catch (e) {
          // Not sent (a value that cannot be cloned): nothing will answer this id.
          waiting.delete(id);
          reject(e);
        }
      });
    },
  };
}

/**
 * The writer worker's loop: runs each plan on the store `storeFor` gives for
 * its database and replies. Requests arrive one at a time (the manager waits
 * for each commit before sending the next of a run), so no queue is needed.
 */
export function serveCommits(scope: WriterScope, storeFor: (dbName: string) => UseStore): void {
  // A request that cannot be read has no id to answer: fail loudly, which reaches the other side as the Worker's error event.
  scope.onmessageerror = () => { throw new Error('a commit request could not be read'); };
  scope.onmessage = (e) => {
    const { id, dbName, plan } = e.data;
    let run: Promise<Manifest>;
    try {
      if (typeof dbName !== 'string' || dbName === '') throw new InvalidInputError('the checkpoint writer needs a database name', { dbName });
      run = commitCheckpoint(storeFor(dbName), plan, (step) => scope.postMessage({ id, kind: 'open', step }));
    } catch (err) {
      run = Promise.reject(err);
    }
    run.then(
      (manifest) => scope.postMessage({ id, kind: 'done', ok: true, manifest, data: plan.record.data }, [plan.record.data]),
      (err: unknown) => scope.postMessage({ id, kind: 'done', ok: false, error: serializeError(err) }),
    );
  };
}
