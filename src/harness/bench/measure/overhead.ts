/** Section 2 (and 2b's loop): the app's training loop with a checkpoint every k steps against none. */
import { CheckpointManager, deleteRun } from '../../../checkpoint';
import { stateFingerprint, type RunConfig } from '../../../core/config';
import { Trainer } from '../../../engine/trainer';
import { yieldTask } from '../../../engine/yieldTask';
import { now, saveMeta, sleep, type BenchContext } from '../context';
import type { OverheadResult, OverheadRun, OverheadVariant, RepPlan } from '../protocol';
import { balancedOrder, median, stepsFor } from '../stats';

/** Steps the loop's own step time is calibrated on. */
const CALIBRATION_STEPS = 30;

/** Untimed pause after each variant, in ms. */
const PAUSE_MS = 100;

/**
 * The app's training loop (Session.train: step, snapshot when due, save in
 * the background, yield a macrotask) with a checkpoint every k steps, for
 * each variant, interleaved per repetition; k = 0 never checkpoints, and a
 * variant may leave out the yield to show what it is for. The loop awaits the
 * snapshot and runs manager.save's synchronous packing; the commit happens in
 * the background and is drained (and timed) at the end.
 *
 * Steps per repetition: a multiple of the largest interval, enough for about
 * `targetRepMs`, at most `maxSteps`. Each repetition runs the variants in
 * the order of one row of a balanced Latin square (stats.balancedOrder), and
 * each variant is followed by an untimed pause, so IndexedDB's background
 * work after one variant (after every-1, many commits to compact) lands on
 * every successor alike rather than always on the same one.
 */
export async function measureOverhead(
  ctx: BenchContext, config: RunConfig, variants: OverheadVariant[], plan: RepPlan,
): Promise<OverheadResult> {
  const { reps, warmupSteps } = plan;
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  const fingerprint = stateFingerprint(config);
  const manager = (runId: string, every: number) => new CheckpointManager({ store: ctx.store, runId, maxToKeep: config.maxToKeep, saveEverySteps: every, fingerprint, committer: ctx.committer });
  try {
    ctx.progress('warm-up');
    for (let i = 0; i < warmupSteps; i++) await trainer.trainStep();
    const unit = Math.max(1, ...variants.map((v) => v.every));
    // Calibrated on the loop's own step (with its yield), by the median: the
    // first steps after the warm-up still run wasm and JS not yet optimized,
    // and a mean over them would size the repetitions far too short.
    const calibration: number[] = [];
    for (let i = 0; i < CALIBRATION_STEPS; i++) {
      const tc = now();
      await trainer.trainStep();
      await yieldTask();
      calibration.push(now() - tc);
    }
    const steps = unit * Math.max(1, Math.ceil(stepsFor(plan.targetRepMs, median(calibration), plan.minSteps, plan.maxSteps) / unit));
    // Warm the snapshot path and the database (open, first transaction) too.
    const warm = manager('bench-ovh-warm', 1);
    const info = await warm.save(trainer.step, await trainer.snapshot(), saveMeta(trainer, ctx.backend));
    await deleteRun(ctx.store, 'bench-ovh-warm');
    const runs: OverheadRun[] = variants.map((v) => ({
      ...v, loopMs: [], totalMs: [], snapshotMs: [], encodeMs: [], commitMs: [], stepMs: [], pendingAtLoopEnd: [], maxStepsAtRisk: [], savesPerRep: v.every > 0 ? Math.floor(steps / v.every) : 0,
    }));
    for (let r = 0; r < reps; r++) {
      for (const v of balancedOrder(runs.length, r)) {
        const run = runs[v];
        ctx.progress(`rep ${r + 1}/${reps}, checkpoint every ${run.every || 'never'}${run.yieldEveryStep ? '' : ', no yield'} (${steps} steps)`);
        await oneRepetition(ctx, trainer, run, steps, run.every > 0 ? manager(`bench-ovh-${run.every}-${run.yieldEveryStep ? 'y' : 'n'}-${r}`, run.every) : null);
        await sleep(PAUSE_MS);
      }
    }
    return { steps, runs, bytes: info.bytes };
  } finally {
    trainer.dispose();
  }
}

/** One repetition of one variant: `steps` steps of the loop, appending its timings to `run`. */
async function oneRepetition(ctx: BenchContext, trainer: Trainer, run: OverheadRun, steps: number, m: CheckpointManager | null): Promise<void> {
  // Each repetition stands for a run of `steps` steps: its checkpoints carry only its own loss history (meta.losses), as a run's would.
  trainer.losses = [];
  const commits: Array<Promise<unknown>> = [];
  let committed = 0;
  let committedStep = 0;
  let maxRisk = 0;
  const t0 = now();
  for (let i = 1; i <= steps; i++) {
    const ts = now();
    await trainer.trainStep();
    const te = now();
    run.stepMs.push(te - ts);
    maxRisk = Math.max(maxRisk, i - committedStep);
    if (m?.shouldSave(i)) {
      const state = await trainer.snapshot();
      const tSnap = now();
      const saved = m.save(trainer.step, state, saveMeta(trainer, ctx.backend));
      const tEnc = now();
      run.snapshotMs.push(tSnap - te);
      run.encodeMs.push(tEnc - tSnap);
      commits.push(saved.then(() => {
        committed++;
        committedStep = Math.max(committedStep, i);
        run.commitMs.push(now() - tSnap);
      }));
    }
    if (run.yieldEveryStep) await yieldTask();
  }
  run.loopMs.push(now() - t0);
  run.pendingAtLoopEnd.push(commits.length - committed);
  run.maxStepsAtRisk.push(maxRisk);
  if (m) {
    await m.waitUntilFinished();
    await Promise.all(commits);
  }
  run.totalMs.push(now() - t0);
  if (m) await deleteRun(ctx.store, m.runId);
}
