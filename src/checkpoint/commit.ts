/**
 * One checkpoint commit: payload, manifest, pruning and the run's generation
 * claim in ONE strict-durability readwrite transaction, so a failure anywhere
 * commits nothing and after a crash the manifest lists exactly the payloads
 * that exist.
 *
 * A commit is described by a CommitPlan, plain data that may cross to a
 * writer worker (see writer.ts): the same function runs it in the training
 * thread or there. The plan carries the manifest the manager keeps in memory,
 * so the transaction issues its puts at once instead of first awaiting a read.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { MANIFEST_FORMAT_VERSION } from '../core/constants';
import { CheckpointCorruptError, ConcurrentWriteError } from '../core/errors';
import { checkFormatVersion, checksumRecord, recordInfo, type CheckpointInfo, type CheckpointRecord } from './format';
import { planWrite } from './retention';
import { parseGeneration, runKeys } from './store';
import { assertFitsTemplate, type Fingerprint } from './integrity';

/** A run's list of committed checkpoints, rewritten in the transaction of every save. */
export interface Manifest {
  /** MANIFEST_FORMAT_VERSION of the code that wrote it. */
  formatVersion: number;
  /** The run. */
  runId: string;
  /** Fingerprint every checkpoint of the run shares. */
  fingerprint: Fingerprint;
  /** Committed checkpoints, oldest step first. */
  checkpoints: CheckpointInfo[];
  /** Commits to the run so far: the next commit claims generation + 1. */
  generation: number;
}

/** Checks an untrusted stored manifest (undefined when the run has none); throws CheckpointCorruptError when malformed. */
export function checkManifest(x: unknown, runId: string): Manifest | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'object' || x === null || !Array.isArray((x as Manifest).checkpoints)) {
    throw new CheckpointCorruptError(`The manifest of run ${runId} is malformed`, { runId });
  }
  checkFormatVersion((x as Manifest).formatVersion, `The manifest of run ${runId}`, MANIFEST_FORMAT_VERSION);
  const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!whole((x as Manifest).generation)) throw new CheckpointCorruptError(`The manifest of run ${runId} has no valid generation`, { runId });
  for (const c of (x as Manifest).checkpoints as unknown[]) {
    const e = c as Partial<CheckpointInfo> | null;
    if (typeof e !== 'object' || e === null || !whole(e.step) || !whole(e.slot) || !whole(e.digest)) {
      throw new CheckpointCorruptError(`The manifest of run ${runId} has a malformed entry: ${JSON.stringify(c)}`, { runId });
    }
  }
  return x as Manifest;
}

/** A run's manifest, or undefined when the run has never committed a checkpoint. */
export async function readManifest(store: UseStore, runId: string): Promise<Manifest | undefined> {
  const { manifest } = runKeys(runId);
  return checkManifest(await store('readonly', (os) => promisifyRequest(os.get(manifest))), runId);
}

/** Everything one commit needs, as plain data (it may be posted to a writer worker, `record.data` transferred). */
export interface CommitPlan {
  /** The run. */
  runId: string;
  /** The checkpoint to store; its tensor checksums are computed with the write (in the writer worker when there is one). */
  record: CheckpointRecord;
  /** The run's manifest as this writer last committed it: undefined when it has none, null when unknown (then it is read inside the transaction). */
  manifest: Manifest | undefined | null;
  /** Checkpoints kept; older ones are deleted in the same transaction. */
  maxToKeep: number;
  /** The run's fingerprint; a manifest with another one refuses the commit. */
  fingerprint: Fingerprint;
  /**
   * For the "crash during a checkpoint write" demo: after issuing every
   * request, call onOpen and keep the transaction open (by chaining reads)
   * for this long before letting it commit; null commits at once.
   */
  holdOpenMs: number | null;
}

/**
 * Reads, inside a transaction, the run's stored manifest and the generation
 * its newest commit (or deletion) claimed: the highest claim key, which is
 * the last of the generation range. A malformed manifest throws
 * CheckpointCorruptError, or counts as absent when `tolerateCorrupt` (deleteRun
 * removes it either way).
 */
export async function readRunState(
  os: IDBObjectStore, runId: string, tolerateCorrupt = false,
): Promise<{ manifest: Manifest | undefined; generation: number }> {
  const keys = runKeys(runId);
  const [raw, cursor] = await Promise.all([promisifyRequest(os.get(keys.manifest)), promisifyRequest(os.openKeyCursor(keys.generationRange, 'prev'))]);
  let manifest: Manifest | undefined;
  try {
    manifest = checkManifest(raw, runId);
  } catch (e) {
    if (!tolerateCorrupt) throw e;
  }
  const newest = cursor ? parseGeneration(cursor.key) ?? 0 : 0;
  return { manifest, generation: Math.max(manifest?.generation ?? 0, newest) };
}

/**
 * Runs `plan` in one strict readwrite transaction on `store`: writes the
 * payload into a slot (planWrite: the slot of the checkpoint it prunes or
 * replaces, overwritten), deletes what pruning frees, writes the new manifest
 * (whose entry for the record's step is its CheckpointInfo). Resolves with
 * that manifest once the transaction has committed; on any failure the
 * transaction is aborted and nothing is written.
 *
 * A second writer of the run (another tab) is caught without reading
 * anything: each commit claims the next generation of the run with add(),
 * which fails when that key exists, so of two writers that built on the same
 * manifest only the first commits; the other aborts with ConcurrentWriteError.
 * Claims are never deleted while the run exists (a writer any number of
 * generations behind must still find its next one taken); each is one small
 * key, and deleteRun removes them. commit() lets IndexedDB commit as soon
 * as every request is issued, instead of after their success events have
 * come back to this thread.
 */
export function commitCheckpoint(store: UseStore, plan: CommitPlan, onOpen: (step: number) => void): Promise<Manifest> {
  const { runId, record, maxToKeep, fingerprint, holdOpenMs } = plan;
  const keys = runKeys(runId);
  const step = record.meta.step;
  return store('readwrite', async (os) => {
    // Without a cached manifest the commit builds on the stored one (and on the newest claimed generation).
    const known = plan.manifest !== null
      ? { manifest: plan.manifest, generation: plan.manifest?.generation ?? 0 }
      : await readRunState(os, runId);
    const manifest = known.manifest ?? { formatVersion: MANIFEST_FORMAT_VERSION, runId, fingerprint, checkpoints: [], generation: 0 };
    assertFitsTemplate({}, {}, manifest.fingerprint, fingerprint);
    const generation = known.generation + 1;
    let lost = false;
    const claim = os.add(step, keys.generation(generation));
    // Its error aborts the transaction (the default action): nothing below commits. Only a taken key means another writer.
    claim.onerror = () => { lost = claim.error?.name === 'ConstraintError'; };
    const w = planWrite(manifest.checkpoints, step, maxToKeep);
    checksumRecord(record);
    const { data, ...header } = record;
    os.put(data, keys.slotData(w.slot));
    os.put(header, keys.slotHeader(w.slot));
    for (const slot of w.freedSlots) {
      os.delete(keys.slotData(slot));
      os.delete(keys.slotHeader(slot));
    }
    const info: CheckpointInfo = recordInfo(record, w.slot);
    const checkpoints = [...manifest.checkpoints.filter((c) => !w.removedSteps.includes(c.step)), info].sort((a, b) => a.step - b.step);
    const next: Manifest = { ...manifest, formatVersion: MANIFEST_FORMAT_VERSION, generation, checkpoints };
    os.put(next, keys.manifest);
    try {
      if (holdOpenMs !== null) {
        onOpen(step);
        const until = Date.now() + holdOpenMs;
        // A transaction commits once no request is pending; chained reads keep one pending.
        await new Promise<void>((resolve, reject) => {
          const spin = () => {
            const r = os.get(keys.manifest);
            r.onsuccess = () => (Date.now() < until ? spin() : resolve());
            r.onerror = () => reject(r.error);
          };
          spin();
        });
      } else {
        // Every request is issued and nothing more will be.
        os.transaction.commit?.();
      }
      await promisifyRequest(os.transaction);
    } catch (e) {
      if (!lost) throw e;
      throw new ConcurrentWriteError(
        `Run ${runId}'s checkpoints were changed by another writer (another tab?) since this one last saw them; checkpoint ${step} was not written`,
        { runId, step },
      );
    }
    return next;
  });
}
