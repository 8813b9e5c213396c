/**
 * Saves, lists and restores the checkpoints of one run.
 *
 * Each checkpoint commits in ONE strict-durability transaction that writes the
 * payload, writes the manifest and deletes pruned payloads, so after a crash
 * the manifest lists exactly the payloads that exist. Listing reads the
 * manifest only; a restore verifies checksums and the template before it
 * returns anything.
 *
 * The manifest a write builds on is kept in memory rather than read inside
 * each write's transaction: awaiting that read held every write back by one
 * IndexedDB round trip, most of a small checkpoint's commit. The managers of
 * a run in this thread share one cache and one write queue (see RunWriter);
 * a writer elsewhere (another tab) is caught by the generation each commit
 * claims (commit.ts), after which the cache is read afresh. The transaction
 * itself is commit.ts's; large checkpoints may run it in a writer worker
 * (writer.ts), off the training thread.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { CHECKPOINT_OFF_THREAD_MIN_BYTES } from '../constants';
import { CheckpointCorruptError, CheckpointNotFoundError, InvalidInputError, StorageFullError } from '../engine/errors';
import { getLeaf, isLeaf, type DType, type Leaf, type TrainState, type Tree } from '../engine/tree';
import {
  checkRecord, decodeCheckpointFile, decodeRecord, encodeCheckpointFile, packRecord, recordInfo, stateTree, tensorChecksumOk, checksumName,
  type CheckpointInfo, type CheckpointMeta, type CheckpointRecord,
} from './codec';
import { checkManifest, commitCheckpoint, readManifest, readRunState, type CommitPlan, type Manifest } from './commit';
import { shouldSave } from './retention';
import { allRunsRange, isStorageFull, parseGeneration, parseRunKey, runKeys } from './store';
import { assertFitsTemplate, type Fingerprint } from './validate';
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
  /** Where checkpoints of at least `offThreadMinBytes` commit (a writer worker, see writer.ts); without it every commit runs in this thread. */
  committer?: Committer;
  /** Packed size from which a checkpoint goes to the committer, in bytes (default CHECKPOINT_OFF_THREAD_MIN_BYTES). */
  offThreadMinBytes?: number;
}

/** The metadata a caller supplies to save; step, run id and fingerprint always come from the manager. */
export type SaveMeta = Pick<CheckpointMeta, 'backend' | 'adapter' | 'losses' | 'savedAtMs'>;

/** One tensor of a stored checkpoint, for the state inspector. */
export interface TensorInfo {
  /** '/'-joined tree path. */
  path: string;
  /** Element type. */
  dtype: DType;
  /** Dimensions. */
  shape: number[];
  /** Stored byte length. */
  bytes: number;
  /** Display name of the checksum's algorithm (xxHash32, or CRC32C for a format 1 or 2 checkpoint). */
  algorithm: string;
  /** Stored checksum. */
  checksum: number;
  /** Whether the stored bytes still match the stored checksum. */
  checksumOk: boolean;
}

/** What the state inspector shows of one checkpoint. */
export interface CheckpointInspection {
  /** The checkpoint's metadata. */
  meta: CheckpointMeta;
  /** Tensor leaves in path order. */
  tensors: TensorInfo[];
  /** Number leaves by path. */
  numbers: Record<string, number>;
}

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

/** The saved leaves laid out like the template (its key order and empty subtrees); only valid once the saved tree fits. */
function arrangeLike(template: Tree, saved: Tree, prefix = ''): Tree {
  const out: Tree = {};
  for (const [key, v] of Object.entries(template)) {
    const path = prefix ? `${prefix}/${key}` : key;
    out[key] = isLeaf(v) ? (getLeaf(saved, path) as Leaf) : arrangeLike(v, saved, path);
  }
  return out;
}

/** Checkpoints of one run: save in the background, list from the manifest, restore against a template. */
export class CheckpointManager {
  /** Run whose checkpoints this manager handles. */
  readonly runId: string;
  private readonly store: UseStore;
  private readonly maxToKeep: number;
  private readonly saveEverySteps: number;
  private readonly fingerprint: Fingerprint;
  private readonly committer: Committer | undefined;
  private readonly offThreadMinBytes: number;
  /** Cache and write queue shared with every other manager of this run on this store. */
  private readonly writer: RunWriter;
  /** This manager's last queued write, settled; writes complete in queue order, so awaiting it awaits all of them. */
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Armed by holdNextWriteOpen: the next write keeps its transaction open (see there). */
  private hold: { onOpen: (step: number) => void; maxMs: number } | null = null;

  /** Checks the options; throws InvalidInputError for a bad run id, maxToKeep or saveEverySteps. */
  constructor(options: CheckpointManagerOptions) {
    const { store, runId, maxToKeep, saveEverySteps, fingerprint, committer, offThreadMinBytes = CHECKPOINT_OFF_THREAD_MIN_BYTES } = options;
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
    this.offThreadMinBytes = offThreadMinBytes;
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
    return this.enqueue(record, true);
  }

  private enqueue(record: CheckpointRecord, checksum: boolean): Promise<CheckpointInfo> {
    const { step } = record.meta;
    // The hold belongs to the save made after it was armed, not to whichever queued write starts next.
    const hold = this.hold;
    this.hold = null;
    const done = this.writer.tail.then(() => this.write(record, checksum, hold)).catch((e: unknown) => {
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
   * one and the checkpoint is large. Builds on the cached manifest (read in
   * the transaction only when unknown) and advances the cache only once the
   * transaction has committed; a failed write makes it unknown again.
   */
  private async write(record: CheckpointRecord, checksum: boolean, hold: CheckpointManager['hold']): Promise<CheckpointInfo> {
    const { writer, committer } = this;
    const plan: CommitPlan = {
      runId: this.runId, record, checksum, manifest: writer.manifest, maxToKeep: this.maxToKeep, fingerprint: this.fingerprint,
      holdOpenMs: hold ? hold.maxMs : null,
    };
    const onOpen = hold ? hold.onOpen : () => undefined;
    try {
      const step = record.meta.step;
      writer.manifest = committer && record.data.byteLength >= this.offThreadMinBytes
        ? await committer.commit(plan, onOpen)
        : await commitCheckpoint(this.store, plan, onOpen);
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

  /** Committed checkpoints, oldest first (reads the manifest only). */
  async list(): Promise<CheckpointInfo[]> {
    return (await readManifest(this.store, this.runId))?.checkpoints ?? [];
  }

  /** Steps with a committed checkpoint, oldest first (reads the manifest only). */
  async allSteps(): Promise<number[]> {
    return (await this.list()).map((c) => c.step);
  }

  /** The newest committed step, or undefined when there is none (reads the manifest only). */
  async latestStep(): Promise<number | undefined> {
    return (await this.allSteps()).at(-1);
  }

  private readPayload(step: number): Promise<{ raw: unknown; entry: CheckpointInfo | undefined }> {
    return readPayload(this.store, this.runId, step);
  }

  /**
   * Reads the checkpoint at `step`, verifies lengths and checksums, checks it
   * against `template` and the fingerprint, and only then returns a state over
   * fresh typed arrays laid out like the template. The template is not modified.
   */
  async restore(step: number, template: TrainState, templateFingerprint: Fingerprint = this.fingerprint): Promise<{ state: TrainState; meta: CheckpointMeta }> {
    const { raw, entry } = await this.readPayload(step);
    const { record, tree } = decodeRecord(raw);
    if (record.meta.step !== step) {
      throw new CheckpointCorruptError(`Checkpoint stored as step ${step} says it is step ${record.meta.step}`, { step });
    }
    // Number leaves (optimizer step, sampler cursor, RNG counters) have no CRC of their own; the
    // manifest's digest, computed at commit over every tensor CRC and every number, vouches for them.
    if (entry && entry.digest !== recordInfo(record).digest) {
      throw new CheckpointCorruptError(
        `Checkpoint at step ${step} does not match the digest its manifest recorded at commit: a number leaf (optimizer step, sampler cursor, RNG counter) or a checksum changed`,
        { step },
      );
    }
    const shaped = stateTree(template);
    assertFitsTemplate(tree, shaped, record.meta.fingerprint, templateFingerprint);
    const out = arrangeLike(shaped, tree);
    return { state: { model: out.model as Tree, optimizer: out.optimizer as Tree, pipeline: out.pipeline as Tree }, meta: record.meta };
  }

  /** Per-tensor description of the checkpoint at `step`, with a fresh checksum verdict per tensor. */
  async inspect(step: number): Promise<CheckpointInspection> {
    const record = checkRecord((await this.readPayload(step)).raw);
    const { meta, tensors, numbers } = record;
    return {
      meta,
      tensors: tensors.map((t) => ({
        path: t.path, dtype: t.dtype, shape: t.shape, bytes: t.length,
        algorithm: checksumName(record.checksum), checksum: t.checksum, checksumOk: tensorChecksumOk(record, t),
      })),
      numbers: Object.fromEntries(numbers.map((n) => [n.path, n.value])),
    };
  }

  /** The verified checkpoint at `step` as a portable file (see encodeCheckpointFile). */
  async exportCheckpoint(step: number): Promise<Uint8Array> {
    return encodeCheckpointFile(decodeRecord((await this.readPayload(step)).raw).record);
  }

  /**
   * Verifies an exported file and that its fingerprint is this run's, then
   * commits it like a save (retention applies). Returns its step. On any
   * failure nothing is written.
   */
  async importCheckpoint(bytes: Uint8Array): Promise<number> {
    const record = decodeCheckpointFile(bytes);
    assertFitsTemplate({}, {}, record.meta.fingerprint, this.fingerprint);
    return (await this.enqueue(record, false)).step;
  }
}

/**
 * The stored record of `runId` at `step` and its manifest entry, read in one
 * transaction. A format 3 checkpoint's header and bytes are joined back into
 * one record-shaped object; nothing is verified yet (decodeRecord does that).
 * Throws CheckpointNotFoundError for a step the manifest does not list, and
 * CheckpointCorruptError for a listed one whose payload is gone.
 */
export async function readPayload(store: UseStore, runId: string, step: number): Promise<{ raw: unknown; entry: CheckpointInfo | undefined }> {
  const keys = runKeys(runId);
  const { raw, entry, steps } = await store('readonly', async (os) => {
    const manifest = checkManifest(await promisifyRequest(os.get(keys.manifest)), runId);
    const steps = manifest?.checkpoints.map((c) => c.step) ?? [];
    const entry = manifest?.checkpoints.find((c) => c.step === step);
    if (entry?.slot === undefined) return { raw: await promisifyRequest<unknown>(os.get(keys.ckpt(step))), entry, steps };
    const [header, data] = await Promise.all([
      promisifyRequest<unknown>(os.get(keys.slotHeader(entry.slot))), promisifyRequest<unknown>(os.get(keys.slotData(entry.slot))),
    ]);
    const joined = typeof header === 'object' && header !== null && !Array.isArray(header) ? { ...header, data } : header;
    return { raw: header === undefined && data === undefined ? undefined : joined, entry, steps };
  });
  if (raw === undefined && entry !== undefined) {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is listed in run ${runId}'s manifest but its payload is missing`, { runId, step });
  }
  if (raw === undefined) {
    throw new CheckpointNotFoundError(
      `Run ${runId} has no checkpoint at step ${step}; available steps: ${steps.length > 0 ? steps.join(', ') : 'none'}`,
      { runId, step, available: steps },
    );
  }
  return { raw, entry };
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

