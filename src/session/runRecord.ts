/**
 * One record per run (config, status, reference curve and parameters), kept
 * beside its checkpoints so a reloaded page can find a run that was cut short.
 */
import { get, promisifyRequest, set } from 'idb-keyval';
import type { RunConfig } from '../core/config';
import type { Tree } from '../core/tree';
import { allRunsRange, listCheckpoints, parseRunKey, runKeys, type Store } from '../checkpoint';

/** Where a run stands; 'training' on a reloaded page means the tab died mid-run. */
export type RunStatus = 'training' | 'resumed' | 'finished';

/** A checkpoint a resume passed over because it failed its checks. */
export interface SkippedCheckpoint {
  /** Its step. */
  step: number;
  /** The error, naming what failed. */
  message: string;
  /** The tensor that failed, when the error names one. */
  path: string | null;
  /** Its manifest digest: the mark applies to this checkpoint only, not to a later one saved at the same step. */
  digest: number;
}

/** How closely a finished run matched its reference. */
export interface RunVerdict {
  /** Largest |loss − reference loss| over all steps. */
  maxLossDiff: number;
  /** Largest |parameter − reference parameter| at the final step. */
  maxParamDiff: number;
  /** First step whose loss differs from the reference, or null when none does. */
  firstDivergentStep: number | null;
}

/** Everything stored about a run besides its checkpoints. */
export interface RunRecord {
  /** Run id (non-empty, no '/'). */
  runId: string;
  /** The run's configuration. */
  config: RunConfig;
  /** Where the run stands. */
  status: RunStatus;
  /** Creation time, in milliseconds since the epoch. */
  createdAtMs: number;
  /** Time of the last update, in milliseconds since the epoch. */
  updatedAtMs: number;
  /** Loss of every step of the uninterrupted reference run, once it has run to its last step. */
  referenceLosses?: number[];
  /** Model tree after the reference run's final step, to diff the resumed parameters against. */
  referenceParams?: Tree;
  /** Step at which the checkpointed run was interrupted. */
  crashAtStep?: number;
  /** TF.js backend the run used. */
  backend?: string;
  /** GPU adapter the run used ('' when none). */
  adapter?: string;
  /** Comparison with the reference, once the run reached its last step. */
  verdict?: RunVerdict;
  /** Checkpoints found corrupt by a resume, by step (they stay stored, and are shown as corrupt). */
  corruptSteps?: SkippedCheckpoint[];
}

/** The corrupt checkpoints known so far and those just found, one entry per step (the newest finding wins). */
export function mergeCorrupt(known: SkippedCheckpoint[] | undefined, found: SkippedCheckpoint[]): SkippedCheckpoint[] | undefined {
  const byStep = new Map((known ?? []).map((c) => [c.step, c]));
  for (const c of found) byStep.set(c.step, c);
  return byStep.size > 0 ? [...byStep.values()].sort((a, b) => a.step - b.step) : undefined;
}

/** Writes a run record (typed arrays stay typed arrays: IndexedDB clones them). */
export async function putRunRecord(store: Store, record: RunRecord): Promise<void> {
  await set(runKeys(record.runId).record, record, store);
}

/** The record of a run, or undefined when there is none. */
export function getRunRecord(store: Store, runId: string): Promise<RunRecord | undefined> {
  return get<RunRecord>(runKeys(runId).record, store);
}

/** Every run record, newest (by creation) first; reads keys, then records only, never checkpoint payloads. */
export function listRunRecords(store: Store): Promise<RunRecord[]> {
  return store('readonly', async (os) => {
    const keys = await promisifyRequest(os.getAllKeys(allRunsRange()));
    const records = await Promise.all(
      keys.filter((k) => parseRunKey(k)?.rest === 'record').map((k) => promisifyRequest<RunRecord>(os.get(k))),
    );
    return records.sort((a, b) => b.createdAtMs - a.createdAtMs);
  });
}

/** The newest run still marked 'training' that has a committed checkpoint: what a page finds after a crash. */
export async function findInterruptedRun(store: Store): Promise<RunRecord | undefined> {
  for (const record of await listRunRecords(store)) {
    if (record.status === 'training' && (await listCheckpoints(store, record.runId)).length > 0) return record;
  }
  return undefined;
}
