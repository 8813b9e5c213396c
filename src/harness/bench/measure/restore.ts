/**
 * Section 3b: a restore timed from page load to the first resumed step. One
 * page commits a checkpoint and its run record (prepareRestore); a fresh page
 * restores it at load in a fresh worker (restoreAndStep), marking each phase.
 */
import type { UseStore } from 'idb-keyval';
import { CheckpointManager, deleteRun, restoreCheckpoint } from '../../../checkpoint';
import { stateFingerprint, type RunConfig } from '../../../core/config';
import { CheckpointNotFoundError } from '../../../core/errors';
import type { Source } from '../../../engine/data/source';
import { Trainer } from '../../../engine/trainer';
import { getRunRecord, putRunRecord } from '../../../session/runRecord';
import { now, saveMeta, type BenchContext } from '../context';
import { asState, readStored, verifyStored } from './restoreParts';

/** The phases restoreAndStep marks, in order. */
export type RestorePhase = 'dataReady' | 'templateReady' | 'read' | 'verified' | 'loaded' | 'firstStep' | 'secondStep';

/** Trains a few steps, commits one checkpoint and the run record, and returns where it is. */
export async function prepareRestore(ctx: BenchContext, config: RunConfig, runId: string, steps: number): Promise<{ step: number; bytes: number }> {
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  try {
    await deleteRun(ctx.store, runId);
    const t = Date.now();
    await putRunRecord(ctx.store, { runId, config, status: 'training', createdAtMs: t, updatedAtMs: t, backend: ctx.backend.backend, adapter: ctx.backend.adapter });
    for (let i = 0; i < steps; i++) await trainer.trainStep();
    const manager = new CheckpointManager({ store: ctx.store, runId, maxToKeep: 1, saveEverySteps: steps, fingerprint: stateFingerprint(config), committer: ctx.committer });
    const info = await manager.save(trainer.step, await trainer.snapshot(), saveMeta(trainer, ctx.backend));
    return { step: info.step, bytes: info.bytes };
  } finally {
    trainer.dispose();
  }
}

/**
 * Everything a restore does, split at the boundaries the bench reports, then
 * two resumed steps; `mark` receives each boundary's name as it passes.
 * restoreCheckpoint, the app's read + verify, is timed once more afterwards
 * as a cross-check of the split.
 */
export async function restoreAndStep(
  store: UseStore, runId: string, source: (config: RunConfig) => Promise<Source>, mark: (phase: RestorePhase) => void,
): Promise<{ step: number; bytes: number; managerRestoreMs: number }> {
  const record = await getRunRecord(store, runId);
  if (!record) throw new CheckpointNotFoundError(`bench: no run ${runId} to restore`, { runId });
  const { config } = record;
  const src = await source(config);
  mark('dataReady');
  const trainer = Trainer.create(config, src);
  try {
    const template = await trainer.snapshot();
    mark('templateReady');
    const fingerprint = stateFingerprint(config);
    const stored = await readStored(store, runId);
    mark('read');
    const { record: saved, tree } = verifyStored(stored, template, fingerprint);
    mark('verified');
    await trainer.load(asState(tree));
    trainer.step = saved.meta.step;
    trainer.losses = saved.meta.losses.slice();
    mark('loaded');
    await trainer.trainStep();
    mark('firstStep');
    await trainer.trainStep();
    mark('secondStep');
    const again = await trainer.snapshot();
    const t = now();
    await restoreCheckpoint(store, runId, stored.entry.step, again, fingerprint);
    return { step: stored.entry.step, bytes: stored.entry.bytes, managerRestoreMs: now() - t };
  } finally {
    trainer.dispose();
  }
}
