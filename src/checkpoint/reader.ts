/**
 * Reads the checkpoints of a run: list them from the manifest, restore one
 * against a template, inspect or export one. Nothing here writes; every read
 * verifies what it returns (format.ts) and names what does not fit.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { CheckpointCorruptError, CheckpointNotFoundError } from '../core/errors';
import { getLeaf, isLeaf, type DType, type Leaf, type TrainState, type Tree } from '../core/tree';
import { checkManifest, readManifest } from './commit';
import { encodeCheckpointFile } from './file';
import {
  checkHeader, decodeCheckpoint, recordInfo, stateTree, tensorChecksumOk, type CheckpointInfo, type CheckpointMeta,
} from './format';
import { assertFitsTemplate, type Fingerprint } from './integrity';
import { runKeys } from './store';

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
  /** Stored xxHash32. */
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

/** Committed checkpoints of a run, oldest first (reads the manifest only). */
export async function listCheckpoints(store: UseStore, runId: string): Promise<CheckpointInfo[]> {
  return (await readManifest(store, runId))?.checkpoints ?? [];
}

/**
 * The stored header and data of `runId` at `step` with its manifest entry,
 * read in one transaction and not yet verified. Throws
 * CheckpointNotFoundError for a step the manifest does not list, and
 * CheckpointCorruptError for a listed one whose payload is gone.
 */
async function readStored(store: UseStore, runId: string, step: number): Promise<{ header: unknown; data: unknown; entry: CheckpointInfo }> {
  const keys = runKeys(runId);
  const got = await store('readonly', async (os) => {
    const manifest = checkManifest(await promisifyRequest(os.get(keys.manifest)), runId);
    const steps = manifest?.checkpoints.map((c) => c.step) ?? [];
    const entry = manifest?.checkpoints.find((c) => c.step === step);
    if (!entry) return { steps, entry };
    const [header, data] = await Promise.all([promisifyRequest<unknown>(os.get(keys.slotHeader(entry.slot))), promisifyRequest<unknown>(os.get(keys.slotData(entry.slot)))]);
    return { steps, entry, header, data };
  });
  if (!got.entry) {
    throw new CheckpointNotFoundError(
      `Run ${runId} has no checkpoint at step ${step}; available steps: ${got.steps.length > 0 ? got.steps.join(', ') : 'none'}`,
      { runId, step, available: got.steps },
    );
  }
  if (got.header === undefined && got.data === undefined) {
    throw new CheckpointCorruptError(`Checkpoint at step ${step} is listed in run ${runId}'s manifest but its payload is missing`, { runId, step });
  }
  return { header: got.header, data: got.data, entry: got.entry };
}

/** The verified checkpoint at `step`: checksums, layout, and the digest its manifest recorded at commit. */
async function readVerified(store: UseStore, runId: string, step: number) {
  const { header, data, entry } = await readStored(store, runId, step);
  const decoded = decodeCheckpoint(header, data);
  if (decoded.record.meta.step !== step) {
    throw new CheckpointCorruptError(`Checkpoint stored as step ${step} says it is step ${decoded.record.meta.step}`, { step });
  }
  // Number leaves (optimizer step, sampler cursor, RNG counters) have no checksum of their own; the
  // manifest's digest, computed at commit over every tensor checksum and every number, vouches for them.
  if (entry.digest !== recordInfo(decoded.record, entry.slot).digest) {
    throw new CheckpointCorruptError(
      `Checkpoint at step ${step} does not match the digest its manifest recorded at commit: a number leaf (optimizer step, sampler cursor, RNG counter) or a checksum changed`,
      { step },
    );
  }
  return decoded;
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

/**
 * Reads the checkpoint at `step`, verifies it, checks it against `template`
 * and the fingerprint (every mismatch named, nothing returned in part), and
 * only then returns a state laid out like the template. The template is not modified.
 */
export async function restoreCheckpoint(
  store: UseStore, runId: string, step: number, template: TrainState, fingerprint: Fingerprint,
): Promise<{ state: TrainState; meta: CheckpointMeta }> {
  const { record, tree } = await readVerified(store, runId, step);
  const shaped = stateTree(template);
  assertFitsTemplate(tree, shaped, record.meta.fingerprint, fingerprint);
  const out = arrangeLike(shaped, tree);
  return { state: { model: out.model as Tree, optimizer: out.optimizer as Tree, pipeline: out.pipeline as Tree }, meta: record.meta };
}

/** Per-tensor description of the checkpoint at `step`, with a fresh checksum verdict per tensor (a damaged one is shown, not refused). */
export async function inspectCheckpoint(store: UseStore, runId: string, step: number): Promise<CheckpointInspection> {
  const { header: raw, data } = await readStored(store, runId, step);
  const header = checkHeader(raw);
  const record = { ...header, data: data instanceof ArrayBuffer ? data : new ArrayBuffer(0) };
  return {
    meta: header.meta,
    tensors: header.tensors.map((t) => ({ path: t.path, dtype: t.dtype, shape: t.shape, bytes: t.length, checksum: t.checksum, checksumOk: tensorChecksumOk(record, t) })),
    numbers: Object.fromEntries(header.numbers.map((n) => [n.path, n.value])),
  };
}

/** The verified checkpoint at `step` as a portable file (file.ts). */
export async function exportCheckpoint(store: UseStore, runId: string, step: number): Promise<Uint8Array> {
  return encodeCheckpointFile((await readVerified(store, runId, step)).record);
}
