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
import { MANIFEST_FORMAT_VERSION, READABLE_MANIFEST_VERSIONS } from '../constants';
import { CheckpointCorruptError, ConcurrentWriteError } from '../engine/errors';
import { checkFormatVersion, checksumRecord, recordInfo, type CheckpointInfo, type CheckpointRecord } from './codec';
import { planWrite } from './retention';
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
  checkFormatVersion((x as Manifest).formatVersion, `The manifest of run ${runId}`, READABLE_MANIFEST_VERSIONS);
  const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  for (const c of (x as Manifest).checkpoints as unknown[]) {
    const e = c as Partial<CheckpointInfo> | null;
    if (typeof e !== 'object' || e === null || !whole(e.step) || !(e.slot === undefined || whole(e.slot))) {
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
  /** The checkpoint to store. */
  record: CheckpointRecord;
  /** True when the record's CRC32C fields are still to be computed (packRecord): done in the transaction, after the bytes' put is issued, so in the writer worker when there is one. */
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
 * payload into a slot (planWrite: the slot of the checkpoint it prunes or
 * replaces, overwritten), deletes what pruning frees, writes the new manifest
 * (whose entry for the record's step is its CheckpointInfo). Resolves with
 * that manifest once the transaction has committed; on any failure the
 * transaction is aborted and nothing is written.
 *
 * The shape is what the bench found cheapest, each step measured against one
 * raw put of the same bytes: the tensor bytes go in as a bare ArrayBuffer
 * (Chromium stores one about 15% faster than the same buffer inside an
 * object), an overwritten slot costs less than a new key plus a delete, the
 * CRC32C runs after the bytes' put is issued so it overlaps their write, and
 * commit() ends the transaction without waiting for the puts' success events.
 */
export function commitCheckpoint(store: UseStore, plan: CommitPlan, onOpen: (step: number) => void): Promise<Manifest> {
  const { runId, record, maxToKeep, fingerprint, holdOpenMs } = plan;
  const keys = runKeys(runId);
  const step = record.meta.step;
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
    const w = planWrite(manifest.checkpoints, step, maxToKeep);
    const { data, ...header } = record;
    os.put(data, keys.slotData(w.slot));
    // put() has serialized the bytes; IndexedDB writes them while the checksums are computed here.
    if (plan.checksum) checksumRecord(record);
    os.put(header, keys.slotHeader(w.slot));
    for (const slot of w.freedSlots) {
      os.delete(keys.slotData(slot));
      os.delete(keys.slotHeader(slot));
    }
    for (const s of w.legacySteps) os.delete(keys.ckpt(s));
    const info: CheckpointInfo = { ...recordInfo(record), slot: w.slot };
    const checkpoints = [...manifest.checkpoints.filter((c) => !w.removedSteps.includes(c.step)), info].sort((a, b) => a.step - b.step);
    const next: Manifest = { ...manifest, formatVersion: MANIFEST_FORMAT_VERSION, checkpoints };
    os.put(next, keys.manifest);
    if (cached) {
      const seen = await promisifyRequest(read) as Manifest | undefined;
      if (JSON.stringify(seen?.checkpoints ?? null) !== JSON.stringify(plan.manifest?.checkpoints ?? null)) {
        os.transaction.abort();
        throw new ConcurrentWriteError(
          `Run ${runId}'s checkpoints were changed by another writer (another tab?) since this one last saw them; checkpoint ${step} was not written`,
          { runId, step },
        );
      }
    }
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
      // Every request is issued and nothing more will be: let IndexedDB commit as soon as they are done.
      os.transaction.commit?.();
    }
    await promisifyRequest(os.transaction);
    return next;
  });
}
