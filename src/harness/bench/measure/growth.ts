/** Section 4: snapshot, commit and restore of one model size, for the curves against parameter count. */
import { CheckpointManager, deleteRun, restoreCheckpoint } from '../../../checkpoint';
import { stateFingerprint, type RunConfig } from '../../../core/config';
import { xxh32 } from '../../../core/hashes';
import { Trainer } from '../../../engine/trainer';
import { checkParams, now, saveMeta, type BenchContext } from '../context';
import type { GrowthPoint } from '../protocol';
import { deleteKeys, rawStrictPut, stateBytes } from './rawIdb';
import { asState, readStored, verifyStored } from './restoreParts';

const RUN_ID = 'bench-growth';
const RAW_KEY = 'bench/raw/growth';

/** The timings of one repetition, each a GrowthPoint list's entry. */
type Rep = Pick<GrowthPoint, 'snapshotMs' | 'encodeMs' | 'commitMs' | 'readMs' | 'verifyMs' | 'loadMs' | 'managerRestoreMs' | 'rawPutMs' | 'copyMs' | 'checksumMs'>;
type RepTimes = { [K in keyof Rep]: number };

/** Snapshot, commit and restore (read, verify, write-back) of one model size, one after the other per repetition. */
export async function measureGrowth(ctx: BenchContext, config: RunConfig, reps: number): Promise<GrowthPoint> {
  const source = await ctx.source(config);
  await deleteRun(ctx.store, RUN_ID);
  ctx.progress('building the model');
  const trainer = Trainer.create(config, source);
  const fingerprint = stateFingerprint(config);
  const manager = new CheckpointManager({ store: ctx.store, runId: RUN_ID, maxToKeep: 1, saveEverySteps: 1, fingerprint, committer: ctx.committer });
  try {
    checkParams(config, trainer);
    ctx.progress('warm-up step');
    await trainer.trainStep();
    const t = now();
    await trainer.trainStep();
    const stepMs = now() - t;
    const out: GrowthPoint = {
      hidden: config.hidden, params: trainer.model.parameterCount, bytes: 0, stepMs,
      snapshotMs: [], encodeMs: [], commitMs: [], readMs: [], verifyMs: [], loadMs: [], managerRestoreMs: [], rawPutMs: [], copyMs: [], checksumMs: [],
    };
    let step = 0;
    const rep = async (): Promise<RepTimes> => {
      const times = {} as RepTimes;
      let t = now();
      const state = await trainer.snapshot();
      times.snapshotMs = now() - t;
      t = now();
      const p = manager.save(++step, state, saveMeta(trainer, ctx.backend));
      times.encodeMs = now() - t;
      const info = await p;
      times.commitMs = now() - t;
      out.bytes = info.bytes;
      const template = await trainer.snapshot();
      t = now();
      const stored = await readStored(ctx.store, RUN_ID, step);
      times.readMs = now() - t;
      t = now();
      const { tree } = verifyStored(stored, template, fingerprint);
      times.verifyMs = now() - t;
      t = now();
      await trainer.load(asState(tree));
      times.loadMs = now() - t;
      t = now();
      await restoreCheckpoint(ctx.store, RUN_ID, step, template, fingerprint);
      times.managerRestoreMs = now() - t;
      const bytes = stateBytes(state);
      t = now();
      await rawStrictPut(ctx.store, RAW_KEY, bytes);
      times.rawPutMs = now() - t;
      // The two costs of encoding, each on the same bytes: the packing copy and the checksums (xxHash32).
      t = now();
      bytes.slice(0);
      times.copyMs = now() - t;
      t = now();
      xxh32(bytes);
      times.checksumMs = now() - t;
      return times;
    };
    ctx.progress('warm-up checkpoint');
    await rep();
    for (let r = 0; r < reps; r++) {
      ctx.progress(`rep ${r + 1}/${reps} (${(trainer.model.parameterCount / 1e6).toFixed(2)}M params)`);
      const times = await rep();
      for (const k of Object.keys(times) as Array<keyof RepTimes>) out[k].push(times[k]);
    }
    return out;
  } finally {
    trainer.dispose();
    await deleteRun(ctx.store, RUN_ID);
    await deleteKeys(ctx.store, [RAW_KEY]);
  }
}
