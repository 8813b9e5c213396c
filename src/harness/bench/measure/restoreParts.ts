/**
 * restoreCheckpoint (src/checkpoint/reader.ts) taken apart at the boundaries
 * the bench reports: the read (manifest, header and data in one
 * transaction) and the verification (checksums, layout, the manifest's
 * digest, the template). The app's own function is timed beside these as a
 * cross-check that the parts add up to it.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { assertFitsTemplate, runKeys, type CheckpointInfo, type Fingerprint } from '../../../checkpoint';
import { checkManifest } from '../../../checkpoint/commit';
import { decodeCheckpoint, recordInfo, stateTree, type CheckpointRecord } from '../../../checkpoint/format';
import { CheckpointCorruptError, CheckpointNotFoundError } from '../../../core/errors';
import type { TrainState, Tree } from '../../../core/tree';

/** One checkpoint as stored, not yet verified. */
export interface StoredCheckpoint {
  /** The header value. */
  header: unknown;
  /** The data value (a bare ArrayBuffer when intact). */
  data: unknown;
  /** Its manifest entry. */
  entry: CheckpointInfo;
}

/** The checkpoint of `runId` at `step` (the newest when omitted), read in one transaction as restoreCheckpoint reads it. */
export async function readStored(store: UseStore, runId: string, step?: number): Promise<StoredCheckpoint> {
  const keys = runKeys(runId);
  const got = await store('readonly', async (os) => {
    const manifest = checkManifest(await promisifyRequest(os.get(keys.manifest)), runId);
    const entry = step === undefined ? manifest?.checkpoints.at(-1) : manifest?.checkpoints.find((c) => c.step === step);
    if (!entry) return null;
    const [header, data] = await Promise.all([promisifyRequest<unknown>(os.get(keys.slotHeader(entry.slot))), promisifyRequest<unknown>(os.get(keys.slotData(entry.slot)))]);
    return { header, data, entry };
  });
  if (!got) throw new CheckpointNotFoundError(`bench: run ${runId} has no checkpoint${step === undefined ? '' : ` at step ${step}`}`, { runId, step });
  return got;
}

/** Everything restoreCheckpoint checks after its read; returns the decoded record and tree. */
export function verifyStored(stored: StoredCheckpoint, template: TrainState, fingerprint: Fingerprint): { record: CheckpointRecord; tree: Tree } {
  const decoded = decodeCheckpoint(stored.header, stored.data);
  const { entry } = stored;
  if (decoded.record.meta.step !== entry.step || recordInfo(decoded.record, entry.slot).digest !== entry.digest) {
    throw new CheckpointCorruptError(`bench: the checkpoint at step ${entry.step} does not match its manifest entry`, { step: entry.step });
  }
  assertFitsTemplate(decoded.tree, stateTree(template), decoded.record.meta.fingerprint, fingerprint);
  return decoded;
}

/** The verified tree as a state for trainer.load. */
export function asState(tree: Tree): TrainState {
  return { model: tree.model as Tree, optimizer: tree.optimizer as Tree, pipeline: tree.pipeline as Tree };
}
