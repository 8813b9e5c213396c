/** Section 3a: a checkpoint commit against raw IndexedDB puts of the same bytes. */
import { CheckpointManager, deleteRun, type CheckpointInfo } from '../../../checkpoint';
import { stateFingerprint, type RunConfig } from '../../../core/config';
import { Trainer } from '../../../engine/trainer';
import { now, saveMeta, sleep, type BenchContext } from '../context';
import type { StorageResult } from '../protocol';
import { balancedOrder } from '../stats';
import { deleteKeys, rawGetPut, rawRelaxedPut, rawStrictPut, stateBytes } from './rawIdb';

/**
 * Untimed operations of each kind before the timings start. V8 optimizes the
 * commit path's JavaScript (packing, checksums, the manifest) only after it
 * has run several times, and a training run commits hundreds of times, so
 * the warm figure is the one that matters.
 */
const STORAGE_WARMUP_OPS = 20;

/** Untimed pause after each operation, in ms: each one starts from an idle IndexedDB, as a checkpoint between training steps does. */
const SETTLE_MS = 20;

/** The operations compared, each timed once per repetition. */
const KINDS = ['commit', 'inThread', 'strict', 'relaxed', 'getput'] as const;

/**
 * Commits through the manager (as the app does, and with the transaction in
 * this thread) against raw puts of the same bytes (strict, relaxed,
 * get-then-put), interleaved in balanced-Latin-square order with a pause
 * after each, so no operation always runs on an IndexedDB still busy with
 * the same predecessor.
 */
export async function measureStorage(ctx: BenchContext, config: RunConfig, reps: number): Promise<StorageResult> {
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  const runIds = ['bench-storage', 'bench-storage-in-thread'];
  const options = { store: ctx.store, maxToKeep: 2, saveEverySteps: 1, fingerprint: stateFingerprint(config) };
  const managers = {
    commit: new CheckpointManager({ ...options, runId: runIds[0], committer: ctx.committer }),
    inThread: new CheckpointManager({ ...options, runId: runIds[1] }),
  };
  const rawKeys: string[] = [];
  try {
    await trainer.trainStep();
    const state = await trainer.snapshot();
    const bytes = stateBytes(state);
    const out: StorageResult = { bytes: 0, tensorCount: 0, commitMs: [], commitInThreadMs: [], encodeMs: [], rawStrictMs: [], rawRelaxedMs: [], rawGetPutMs: [] };
    let step = 0;
    const commit = async (manager: CheckpointManager): Promise<{ ms: number; encodeMs: number; info: CheckpointInfo }> => {
      const t = now();
      const p = manager.save(++step, state, saveMeta(trainer, ctx.backend));
      const encodeMs = now() - t;
      const info = await p;
      return { ms: now() - t, encodeMs, info };
    };
    const raw = async (kind: 'strict' | 'relaxed' | 'getput', r: number): Promise<number> => {
      const key = `bench/raw/${kind}/${r}`;
      rawKeys.push(key, `${key}/manifest`);
      const copy = bytes.slice(0);
      const t = now();
      await (kind === 'strict' ? rawStrictPut(ctx.store, key, copy) : kind === 'relaxed' ? rawRelaxedPut(key, copy) : rawGetPut(ctx.store, key, copy));
      return now() - t;
    };
    ctx.progress('warm-up');
    const first = await commit(managers.commit);
    out.bytes = first.info.bytes;
    out.tensorCount = first.info.tensorCount;
    for (let i = 0; i < STORAGE_WARMUP_OPS; i++) {
      await commit(managers.commit);
      await commit(managers.inThread);
      await raw('strict', -1);
      await raw('relaxed', -1);
      await raw('getput', -1);
    }
    for (let r = 0; r < reps; r++) {
      ctx.progress(`rep ${r + 1}/${reps} (${(out.bytes / 1024).toFixed(0)} KiB)`);
      for (const k of balancedOrder(KINDS.length, r)) {
        const kind = KINDS[k];
        if (kind === 'commit') {
          const c = await commit(managers.commit);
          out.commitMs.push(c.ms);
          out.encodeMs.push(c.encodeMs);
        } else if (kind === 'inThread') {
          out.commitInThreadMs.push((await commit(managers.inThread)).ms);
        } else {
          const ms = await raw(kind, r);
          (kind === 'strict' ? out.rawStrictMs : kind === 'relaxed' ? out.rawRelaxedMs : out.rawGetPutMs).push(ms);
        }
        await sleep(SETTLE_MS);
      }
    }
    return out;
  } finally {
    trainer.dispose();
    for (const runId of runIds) await deleteRun(ctx.store, runId);
    await deleteKeys(ctx.store, rawKeys);
  }
}
