/**
 * One checkpoint commit: payload, manifest and pruning in ONE strict-durability
 * readwrite transaction, so a failure anywhere commits nothing and after a
 * crash the manifest lists exactly the payloads that exist.
 *
 * A commit is described by a CommitPlan, plain data that may cross to a
 * writer worker (see writer.ts): the same function runs it in the training
 * thread or there. The plan carries the manifest the manager keeps in memory,
 * so the transaction issues its puts at once instead of first awaiting a read.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { MANIFEST_FORMAT_VERSION } from '../constants';
import { CheckpointCorruptError, ConcurrentWriteError } from '../engine/errors';
import { checkFormatVersion, checksumRecord, recordInfo, type CheckpointInfo, type CheckpointRecord } from './codec';
import { stepsToPrune } from './retention';
import { runKeys } from './store';
import { assertFitsTemplate, type Fingerprint } from './validate';

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
}

/** Checks an untrusted stored manifest (undefined when the run has none); throws CheckpointCorruptError when malformed. */
export function checkManifest(x: unknown, runId: string): Manifest | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'object' || x === null || !Array.isArray((x as Manifest).checkpoints)) {
    throw new CheckpointCorruptError(`The manifest of run ${runId} is malformed`, { runId });
  }
  checkFormatVersion((x as Manifest).formatVersion, `The manifest of run ${runId}`, [MANIFEST_FORMAT_VERSION]);
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
  /** The checkpoint to store. */
  record: CheckpointRecord;
  /** True when the record's CRC32C fields are still to be computed (packRecord): done here, so in the writer worker, off the training thread. */
  checksum: boolean;
  /** The run's manifest as committed: undefined when it has none, null when unknown (then it is read inside the transaction). */
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
 * Runs `plan` in one strict readwrite transaction on `store`: writes the
 * payload, deletes pruned payloads, writes the new manifest (whose entry for
 * the record's step is its CheckpointInfo). Resolves with that manifest once
 * the transaction has committed; on any failure the transaction is aborted
 * and nothing is written.
 */
export function commitCheckpoint(store: UseStore, plan: CommitPlan, onOpen: (step: number) => void): Promise<Manifest> {
  const { runId, record, maxToKeep, fingerprint, holdOpenMs } = plan;
  const keys = runKeys(runId);
  if (plan.checksum) checksumRecord(record);
  const info: CheckpointInfo = recordInfo(record);
  return store('readwrite', async (os) => {
    // The stored manifest is always read first in this transaction. Without a cached copy the
    // commit builds on it; with one, it is only checked after the puts are issued: requests run in
    // order, so it is the manifest as it was before them, and awaiting it does not delay the writes.
    // If another writer (a second tab on the same run) changed it, the transaction is aborted
    // before anything commits.
    const read = os.get(keys.manifest);
    const cached = plan.manifest !== null;
    const stored = cached ? plan.manifest : checkManifest(await promisifyRequest(read), runId);
    const manifest = stored ?? { formatVersion: MANIFEST_FORMAT_VERSION, runId, fingerprint, checkpoints: [] };
    assertFitsTemplate({}, {}, manifest.fingerprint, fingerprint);
    const pruned = stepsToPrune(manifest.checkpoints.map((c) => c.step), info.step, maxToKeep);
    os.put(record, keys.ckpt(info.step));
    for (const step of pruned) os.delete(keys.ckpt(step));
    const checkpoints = [...manifest.checkpoints.filter((c) => c.step !== info.step && !pruned.includes(c.step)), info]
      .sort((a, b) => a.step - b.step);
    const next: Manifest = { ...manifest, checkpoints };
    os.put(next, keys.manifest);
    if (cached) {
      const seen = await promisifyRequest(read) as Manifest | undefined;
      if (JSON.stringify(seen?.checkpoints ?? null) !== JSON.stringify(plan.manifest?.checkpoints ?? null)) {
        os.transaction.abort();
        throw new ConcurrentWriteError(
          `Run ${runId}'s checkpoints were changed by another writer (another tab?) since this one last saw them; checkpoint ${info.step} was not written`,
          { runId, step: info.step },
        );
      }
    }
    if (holdOpenMs !== null) {
      onOpen(info.step);
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
    }
    await promisifyRequest(os.transaction);
    return next;
  });
}
