/** Section 2: what checkpoints every 1, 10, 100 steps cost the app's training loop, against none. */
import type { BackendName } from '../../../src/core/config';
import { benchConfig, type BenchModelKey } from '../../../src/harness/bench/models';
import type { OverheadResult } from '../../../src/harness/bench/protocol';
import { median, pairedRatio, perSecond } from '../../../src/harness/bench/stats';
import { lineChartSvg } from '../../lib/plot';
import { attempt, callTimeout, type Ctx } from '../context';
import type { BenchPage } from '../driver';
import { COLORS, fmt, fmtRange, formatBytes, range, type ReportTable, type Verdict } from '../format';
import type { Summary } from '../results';

/** Steps/s with a checkpoint every 10 steps ÷ without, at least (costs ≤ 5%). */
export const EVERY10_OVER_NONE = 0.95;
/** Training-loop time blocked per checkpoint ÷ one step's time, at most. */
export const BLOCKED_OVER_STEP = 1;

/** Section 2, raw. */
export interface OverheadEntry { backend: BackendName; model: BenchModelKey; result: OverheadResult }

/** Section 2, derived: one row per (backend, model, interval). */
export interface OverheadRow {
  backend: BackendName; model: BenchModelKey; every: number; steps: number; bytes: number;
  /** The loop yielded a macrotask after every step (as the app's does). */
  yieldEveryStep: boolean;
  /** Median share of the repetition's checkpoints not yet committed when its last step finished. */
  pendingShare: number;
  /** Median over repetitions of the most steps a crash would have lost (see OverheadRun.maxStepsAtRisk). */
  stepsAtRisk: number;
  /** Loop steps/s. */
  stepsPerSec: number;
  /** Paired median of loop throughput ÷ throughput without checkpoints. */
  ratioLoop: number;
  /** The same including the wait for every commit. */
  ratioDrained: number;
  /** Smallest and largest per-repetition drained ratio. */
  ratioDrainedRange: [number, number];
  /** Median time the loop is blocked per checkpoint (snapshot + manager.save's packing). */
  blockedMs: number;
  snapshotMs: number; encodeMs: number; commitMs: number;
  /** Median step time without checkpoints. */
  stepMs: number;
  meetsTarget: boolean | null;
}

/** Section 2's measurement of one (backend, model) on its backend's page. */
export async function runOverhead(ctx: Ctx, page: BenchPage, backend: BackendName, model: BenchModelKey): Promise<void> {
  ctx.progress.setSection(`2 checkpoint overhead ${backend} ${model}`);
  const config = benchConfig(model, backend);
  const r = await attempt(ctx, `overhead ${backend} ${model}`, () => page.call('overhead', {
    config, variants: ctx.plan.overheadVariants, plan: ctx.plan.overheadPlan,
  }, callTimeout(ctx.plan) * 2));
  if (r.ok) ctx.res.overhead.push({ backend, model, result: r.value });
}

const medianOr0 = (xs: number[]): number => (xs.length > 0 ? median(xs) : 0);

/** Section 2 rows from raw figures; the app's loop (it yields) without checkpoints is the baseline of every row. */
export function overheadRows(e: OverheadEntry): OverheadRow[] {
  const none = e.result.runs.find((r) => r.every === 0 && r.yieldEveryStep);
  if (!none) throw new Error('overhead: no run without checkpoints to compare with');
  const stepMs = median(none.stepMs);
  return e.result.runs.map((run) => {
    const blockedMs = medianOr0(run.snapshotMs.map((s, i) => s + run.encodeMs[i]));
    const ratioDrained = pairedRatio(none.totalMs, run.totalMs);
    return {
      backend: e.backend, model: e.model, every: run.every, steps: e.result.steps, bytes: e.result.bytes,
      yieldEveryStep: run.yieldEveryStep,
      pendingShare: run.savesPerRep > 0 ? median(run.pendingAtLoopEnd) / run.savesPerRep : 0,
      stepsAtRisk: median(run.maxStepsAtRisk),
      stepsPerSec: perSecond(e.result.steps, median(run.loopMs)),
      ratioLoop: pairedRatio(none.loopMs, run.loopMs),
      ratioDrained,
      ratioDrainedRange: range(none.totalMs.map((t, i) => t / run.totalMs[i])),
      blockedMs,
      snapshotMs: medianOr0(run.snapshotMs),
      encodeMs: medianOr0(run.encodeMs),
      commitMs: medianOr0(run.commitMs),
      stepMs,
      meetsTarget: run.every === 10 && run.yieldEveryStep ? ratioDrained >= EVERY10_OVER_NONE && blockedMs <= stepMs * BLOCKED_OVER_STEP : null,
    };
  });
}

/**
 * The every-10 verdict of each (backend, model), then the blocked-time
 * verdict of each, judged on its most frequent interval.
 */
export function overheadVerdicts(rows: OverheadRow[]): Verdict[] {
  const out: Verdict[] = [];
  for (const o of rows.filter((r) => r.every === 10 && r.yieldEveryStep)) {
    const y = rows.find((r) => r.backend === o.backend && r.model === o.model && r.every === 10 && !r.yieldEveryStep);
    out.push({
      target: `every-10 costs ≤ 5% (${o.backend}, ${o.model})`, met: o.ratioDrained >= EVERY10_OVER_NONE,
      detail: `steps/s ratio ${o.ratioDrained.toFixed(3)} with commits drained (repetitions ${fmtRange(o.ratioDrainedRange)}), ${o.ratioLoop.toFixed(3)} loop only; `
        + `up to ${fmt(o.stepsAtRisk)} of ${o.steps} steps past the newest committed checkpoint`
        + (y ? `; without the per-step yield: ${y.ratioDrained.toFixed(3)} drained, up to ${fmt(y.stepsAtRisk)} steps at risk` : ''),
    });
  }
  const blockedBy = new Map<string, OverheadRow>();
  for (const o of rows.filter((r) => r.every > 0 && r.yieldEveryStep)) {
    const key = `${o.backend}|${o.model}`;
    if (!blockedBy.has(key) || o.every === 1) blockedBy.set(key, o);
  }
  for (const o of blockedBy.values()) {
    out.push({ target: `blocked per checkpoint ≤ one step (${o.backend}, ${o.model})`, met: o.blockedMs <= o.stepMs * BLOCKED_OVER_STEP, detail: `${o.blockedMs.toFixed(2)} ms blocked (snapshot ${o.snapshotMs.toFixed(2)} + encode ${o.encodeMs.toFixed(2)}) vs ${o.stepMs.toFixed(2)} ms step` });
  }
  return out;
}

/** Section 2's table. */
export function overheadTable(s: Summary): ReportTable {
  return {
    section: 'overhead',
    title: '2. Checkpoint overhead (the app\'s training loop; real CheckpointManager over IndexedDB, strict durability)',
    head: ['backend', 'model', 'every', 'ckpt size', 'steps/s', 'ratio (drained)', 'per-rep range', 'ratio (loop)', 'max steps at risk', 'blocked ms/ckpt', 'snapshot ms', 'pack ms', 'commit ms', 'step ms', 'blocked÷step'],
    rows: s.overhead.map((o) => {
      const dash = o.every === 0;
      return [o.backend, o.model, `${o.every === 0 ? 'never' : String(o.every)}${o.yieldEveryStep ? '' : ', no yield'}`, formatBytes(o.bytes), fmt(o.stepsPerSec), o.ratioDrained.toFixed(3),
        fmtRange(o.ratioDrainedRange), o.ratioLoop.toFixed(3),
        dash ? '—' : `${fmt(o.stepsAtRisk)} of ${o.steps}`, dash ? '—' : fmt(o.blockedMs), dash ? '—' : fmt(o.snapshotMs), dash ? '—' : fmt(o.encodeMs), dash ? '—' : fmt(o.commitMs), fmt(o.stepMs),
        dash ? '—' : fmt(o.blockedMs / o.stepMs)];
    }),
    note: 'The loop is Session.train\'s: step, snapshot when due, manager.save in the background, then a macrotask yield (engine/yieldTask). '
      + 'ratio = steps/s ÷ steps/s of that loop without checkpoints, paired per repetition; "drained" counts the time until every commit has landed. '
      + 'Blocked = awaited snapshot + manager.save\'s synchronous packing copy (the checksums are computed with the write). commit = from snapshot to committed (in the writer worker). "no yield": the loop without the per-step yield, as it was before; '
      + 'on wasm and cpu its IndexedDB callbacks cannot run until the loop ends. max steps at risk = the most steps past the newest committed checkpoint at any step\'s end: '
      + 'what a crash at the worst moment would lose (about the interval when commits keep up).',
  };
}

/** overhead.svg: the drained ratio against the interval, one line per (backend, model); null when nothing to plot. */
export function overheadPlot(s: Summary): string | null {
  const groups = new Map<string, OverheadRow[]>();
  for (const o of s.overhead.filter((r) => r.every > 0 && r.yieldEveryStep)) {
    const k = `${o.backend} ${o.model}`;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  if (groups.size === 0) return null;
  return lineChartSvg([...groups.entries()].map(([label, rows], i) => ({
    label, points: rows.map((r) => [r.every, r.ratioDrained] as [number, number]), color: COLORS[i % COLORS.length],
  })), { title: 'Steps/s with a checkpoint every k steps ÷ without', xLabel: 'k (steps between checkpoints)', yLabel: 'throughput ratio', logX: true });
}
