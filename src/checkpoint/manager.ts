/**
 * Writes the checkpoints of one run: save in the background, retention and
 * pruning in the same transaction, one write queue per run.
 *
 * Each checkpoint commits in ONE strict-durability transaction (commit.ts)
 * that writes the payload, writes the manifest and deletes pruned payloads,
 * so after a crash the manifest lists exactly the payloads that exist. The
 * manifest a write builds on is kept in memory rather than read inside each
 * write's transaction, which would hold every write back by one IndexedDB
 * round trip. The managers of a run in this thread share that copy and one
 * write queue (RunWriter); a writer elsewhere (another tab) is caught by the
 * generation each commit claims, after which the copy is read afresh. With a
 * Committer (a writer worker, writer.ts) the transaction runs off the
 * training thread. Reading is reader.ts's.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { InvalidInputError, StorageFullError } from '../core/errors';
import type { TrainState } from '../core/tree';
import { commitCheckpoint, readRunState, type CommitPlan, type Manifest } from './commit';
import { packRecord, type CheckpointInfo, type CheckpointMeta, type CheckpointRecord } from './format';
import { assertFitsTemplate, type Fingerprint } from './integrity';
import { shouldSave } from './retention';
import { allRunsRange, isStorageFull, parseGeneration, parseRunKey, runKeys } from './store';
import type { Committer } from './writer';

/** How a CheckpointManager is set up. */
export interface CheckpointManagerOptions {
  /** Store from createStrictStore. */
  store: UseStore;
  /** Run whose checkpoints are managed (non-empty, no '/'). */
  runId: string;
  /** Checkpoints kept; older ones are pruned in the transaction of each save. */
  maxToKeep: number;
  /** Interval between checkpoints in steps (0 = never), for shouldSave. */
  saveEverySteps: number;
  /** stateFingerprint of the run's config, stored with every checkpoint. */
  fingerprint: Fingerprint;
  /** Where checkpoints commit (a writer worker, see writer.ts); without it every commit runs in this thread. */
  committer?: Committer;
}

/** The metadata a caller supplies to save; step, run id and fingerprint always come from the manager. */
export type SaveMeta = Pick<CheckpointMeta, 'backend' | 'adapter' | 'losses' | 'savedAtMs'>;

/** What every manager of one run (in this thread, on one store) shares. */
interface RunWriter {
  /**
   * The run's manifest as last read or committed: undefined when the run has
   * none, null when unknown (never read yet, or the last write failed), in
   * which case the next write reads it inside its own transaction.
   */
  manifest: Manifest | undefined | null;
  /** The run's last queued write or delete; never rejects, so one failure does not block later writes. */
  tail: Promise<void>;
}

/**
 * Per store, the packed buffer of the last committed checkpoint, which the
 * next save packs into when it is the same size (see packRecord). One per
 * store, not per run, so it costs at most one checkpoint's memory.
 */
const spareBuffers = new WeakMap<UseStore, ArrayBuffer>();

/** Per store, per run id. Keyed by the store so a test's separate store (or a wrapped one) starts unknown. */
const runWriters = new WeakMap<UseStore, Map<string, RunWriter>>();

function runWriter(store: UseStore, runId: string): RunWriter {
  let runs = runWriters.get(store);
  if (!runs) runWriters.set(store, (runs = new Map()));
  let w = runs.get(runId);
  if (!w) runs.set(runId, (w = { manifest: null, tail: Promise.resolve() }));
  return w;
}

/** The checkpoints of one run, written in the background in call order. */
export class CheckpointManager {
  /** Run whose checkpoints this manager handles. */
  readonly runId: string;
  private readonly store: UseStore;
  private readonly maxToKeep: number;
  private readonly saveEverySteps: number;
  private readonly fingerprint: Fingerprint;
  private readonly committer: Committer | undefined;
  /** Cache and write queue shared with every other manager of this run on this store. */
  private readonly writer: RunWriter;
  /** This manager's last queued write, settled; writes complete in queue order, so awaiting it awaits all of them. */
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Armed by holdNextWriteOpen: the next write keeps its transaction open (see there). */
  private hold: { onOpen: (step: number) => void; maxMs: number } | null = null;

  /** Checks the options; throws InvalidInputError for a bad run id, maxToKeep or saveEverySteps. */
  constructor(options: CheckpointManagerOptions) {
    const { store, runId, maxToKeep, saveEverySteps, fingerprint, committer } = options;
    runKeys(runId); // throws InvalidInputError for a bad run id
    if (!(Number.isInteger(maxToKeep) && maxToKeep >= 1)) {
      throw new InvalidInputError(`maxToKeep must be a whole number of at least 1, got ${maxToKeep}`, { field: 'maxToKeep' });
    }
    if (!(Number.isInteger(saveEverySteps) && saveEverySteps >= 0)) {
      throw new InvalidInputError(`saveEverySteps must be a whole number ≥ 0, got ${saveEverySteps}`, { field: 'saveEverySteps' });
    }
    this.store = store;
    this.runId = runId;
    this.maxToKeep = maxToKeep;
    this.saveEverySteps = saveEverySteps;
    this.fingerprint = { ...fingerprint };
    this.committer = committer;
    this.writer = runWriter(store, runId);
  }

  /** True when a checkpoint is due after `step` completed steps. */
  shouldSave(step: number): boolean {
    return shouldSave(step, this.saveEverySteps);
  }

  /**
   * Captures `state` now (bytes packed into the record before this returns,
   * so the caller may mutate its arrays at once) and queues its write behind
   * earlier ones; the checksums are computed with the write, off the training
   * thread when a writer worker takes it. Resolves with the manifest entry
   * once committed; a failure also surfaces from waitUntilFinished, so
   * ignoring this promise is safe.
   */
  save(step: number, state: TrainState, meta: SaveMeta): Promise<CheckpointInfo> {
    let record: CheckpointRecord;
    try {
      const spare = spareBuffers.get(this.store);
      spareBuffers.delete(this.store);
      record = packRecord(state, {
        step, runId: this.runId, fingerprint: this.fingerprint,
        backend: meta.backend, adapter: meta.adapter, losses: meta.losses, savedAtMs: meta.savedAtMs,
      }, spare);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue(record);
  }

  /**
   * Queues the write of a verified record (an import) like a save: retention
   * applies, and on any failure nothing is written. A record of another
   * fingerprint is refused before anything is queued.
   */
  writeRecord(record: CheckpointRecord): Promise<CheckpointInfo> {
    try {
      assertFitsTemplate({}, {}, record.meta.fingerprint, this.fingerprint);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue(record);
  }

  private enqueue(record: CheckpointRecord): Promise<CheckpointInfo> {
    const { step } = record.meta;
    // The hold belongs to the save made after it was armed, not to whichever queued write starts next.
    const hold = this.hold;
    this.hold = null;
    const done = this.writer.tail.then(() => this.write(record, hold)).catch((e: unknown) => {
      throw isStorageFull(e)
        ? new StorageFullError(`Storage is full: checkpoint at step ${step} was not written; earlier checkpoints are intact`, { runId: this.runId, step })
        : e;
    });
    // This handler also marks `done` as handled, so a caller that ignores it gets no unhandled rejection.
    const settled = done.then(() => undefined, (e: unknown) => { this.failure ??= { error: e }; });
    this.writer.tail = settled;
    this.tail = settled;
    return done;
  }

  /**
   * For the "crash during a checkpoint write" demo: the next save's write issues its
   * puts, calls `onOpen(step)`, then keeps the transaction open (by chaining
   * reads) for up to `maxMs` before letting it commit. Killing the worker in
   * that window aborts a transaction that has already written its payload:
   * IndexedDB must then keep none of it.
   */
  holdNextWriteOpen(onOpen: (step: number) => void, maxMs: number): void {
    this.hold = { onOpen, maxMs };
  }

  /**
   * Writes payload and manifest and prunes in one transaction (commitCheckpoint),
   * so a failure anywhere commits nothing; in the writer worker when there is
   * one. Builds on the cached manifest (read in
   * the transaction only when unknown) and advances the cache only once the
   * transaction has committed; a failed write makes it unknown again.
   */
  private async write(record: CheckpointRecord, hold: CheckpointManager['hold']): Promise<CheckpointInfo> {
    const { writer, committer } = this;
    const plan: CommitPlan = {
      runId: this.runId, record, manifest: writer.manifest, maxToKeep: this.maxToKeep, fingerprint: this.fingerprint,
      holdOpenMs: hold ? hold.maxMs : null,
    };
    const onOpen = hold ? hold.onOpen : () => undefined;
    try {
      const step = record.meta.step;
      writer.manifest = committer ? await committer.commit(plan, onOpen) : await commitCheckpoint(this.store, plan, onOpen);
      // IndexedDB copied the bytes and a writer worker hands them back: the next save may pack into them.
      if (record.data.byteLength > 0) spareBuffers.set(this.store, record.data);
      // commitCheckpoint always lists the step it committed.
      return writer.manifest.checkpoints.find((c) => c.step === step) as CheckpointInfo;
    } catch (e) {
      writer.manifest = null;
      throw e;
    }
  }

  /** Resolves when every queued write has committed; rejects with the first write error since the last call (then forgets it). */
  async waitUntilFinished(): Promise<void> {
    await this.tail;
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure.error;
  }
}

/** Ids of every run with a manifest, record or checkpoint in the store, sorted (reads keys only). */
export async function listRunIds(store: UseStore): Promise<string[]> {
  const keys = await store('readonly', (os) => promisifyRequest(os.getAllKeys(allRunsRange())));
  // A deleted run leaves only its generation claim (see deleteRun): it is not listed.
  return [...new Set(keys.flatMap((k) => (parseGeneration(k) === undefined ? parseRunKey(k)?.runId ?? [] : [])))];
}

/**
 * Deletes a run's manifest, checkpoints and record in one transaction (a
 * no-op for an unknown run). Queued behind the run's pending writes, so none
 * lands after it, and it resets the managers' cached manifest. It leaves one
 * key: a claim on the run's next generation, so that a writer elsewhere (another
 * tab) still building on the deleted manifest fails with ConcurrentWriteError
 * instead of listing checkpoints that are gone.
 */
export async function deleteRun(store: UseStore, runId: string): Promise<void> {
  const keys = runKeys(runId);
  const writer = runWriter(store, runId);
  const done = writer.tail.then(() => store('readwrite', async (os) => {
    const { generation } = await readRunState(os, runId, true);
    os.delete(keys.range);
    if (generation > 0) os.put(0, keys.generation(generation + 1));
    return promisifyRequest(os.transaction);
  }));
  // Unknown, not empty: the next write reads the claim left behind.
  writer.tail = done.then(() => { writer.manifest = null; }, () => { writer.manifest = null; });
  await done;
}

