/**
 * Section 2b: where a checkpoint's cost goes. The loop runs with a checkpoint
 * every 10 steps and without, one long repetition each, alternated, while
 * every Chromium thread's CPU time is read before and after (Linux /proc).
 */
import type { BackendName } from '../../../src/core/config';
import { benchConfig, type BenchModelKey } from '../../../src/harness/bench/models';
import type { OverheadResult } from '../../../src/harness/bench/protocol';
import { CPU_GROUPS, cpuByGroup, readThreads, type CpuGroup } from '../../lib/proc-cpu';
import { attempt, type Ctx } from '../context';
import type { BenchPage } from '../driver';
import { fmt, type ReportTable } from '../format';
import type { Summary } from '../results';

/** Section 2b, raw: per-thread CPU of the bench's Chromium over one long repetition of the loop, with checkpoints every 10 steps or none. */
export interface CpuEntry {
  backend: BackendName; model: BenchModelKey;
  /** In the order run, alternating every 10 and never. */
  runs: Array<{ every: number; steps: number; wallMs: number; cpuMs: Record<CpuGroup, number> }>;
}

/** Section 2b, derived: one row per CPU group of one (backend, model). */
export interface CpuRow {
  backend: BackendName; model: BenchModelKey; group: CpuGroup;
  /** CPU ms per step of that group without checkpoints, and with one every 10 steps (means over the runs). */
  perStepNever: number; perStepEvery10: number;
  /** Extra CPU ms of that group per checkpoint: (with − without) × 10. */
  perCheckpoint: number;
}

/** A row of section 2b's table: a CPU group, or the sum over all threads, or the loop's wall time. */
export type CpuTableRow = CpuRow | (Omit<CpuRow, 'group'> & { group: 'all threads' | 'wall time' });

/** Section 2b's measurement of one (backend, model); records nothing, with a note, where /proc cannot be read. */
export async function runCpu(ctx: Ctx, page: BenchPage, backend: BackendName, model: BenchModelKey): Promise<void> {
  ctx.progress.setSection(`2b CPU per thread ${backend} ${model}`);
  const r = await attempt(ctx, `cpu ${backend} ${model}`, () => cpuPass(ctx, page, backend, model));
  if (r.ok && r.value) (ctx.res.cpu ??= []).push(r.value);
  else if (r.ok) ctx.progress.log('  2b CPU per thread: skipped, this system has no /proc to read it from');
}

/** The alternated runs, each between two readings of every thread; null where /proc cannot be read. */
async function cpuPass(ctx: Ctx, page: BenchPage, backend: BackendName, model: BenchModelKey): Promise<CpuEntry | null> {
  const { repMs, pairs } = ctx.plan.cpuPlan;
  const config = benchConfig(model, backend);
  const runs: CpuEntry['runs'] = [];
  // The first call sizes the repetition; the rest run exactly as many steps, so the warm-up each call does cancels out of the differences.
  let steps: number | null = null;
  for (let p = 0; p < pairs; p++) {
    for (const every of p % 2 === 0 ? [10, 0] : [0, 10]) {
      const before = readThreads(ctx.chromiumPid);
      if (!before) return null;
      const r: OverheadResult = await page.call('overhead', {
        config, variants: [{ every, yieldEveryStep: true }],
        plan: { reps: 1, slowReps: 1, warmupSteps: 3, targetRepMs: repMs, minSteps: steps ?? 100, maxSteps: steps ?? 100_000 },
      }, 300_000);
      const after = readThreads(ctx.chromiumPid);
      if (!after) return null;
      steps ??= r.steps;
      runs.push({ every, steps: r.steps, wallMs: r.runs[0].totalMs[0], cpuMs: cpuByGroup(before, after) });
    }
  }
  return { backend, model, runs };
}

/** Rows of section 2b: each group's CPU with and without checkpoints, and a 'total' row; a group that used under 0.005 ms a step either way is left out. */
export function cpuRows(e: CpuEntry): CpuTableRow[] {
  const perStep = (every: number, f: (r: CpuEntry['runs'][number]) => number): number => {
    const runs = e.runs.filter((r) => r.every === every);
    if (runs.length === 0) throw new Error(`cpu ${e.backend} ${e.model}: no run with every = ${every}`);
    return runs.reduce((sum, r) => sum + f(r) / r.steps, 0) / runs.length;
  };
  const row = (group: CpuTableRow['group'], f: (r: CpuEntry['runs'][number]) => number) => {
    const never = perStep(0, f);
    const every = perStep(10, f);
    return { backend: e.backend, model: e.model, group, perStepNever: never, perStepEvery10: every, perCheckpoint: (every - never) * 10 } as CpuTableRow;
  };
  const groups = CPU_GROUPS.map((g) => row(g, (r) => r.cpuMs[g])).filter((r) => Math.max(r.perStepNever, r.perStepEvery10) >= 0.005);
  const sum = (r: CpuEntry['runs'][number]) => CPU_GROUPS.reduce((t, g) => t + r.cpuMs[g], 0);
  return [...groups, row('all threads', sum), row('wall time', (r) => r.wallMs)];
}

/** Section 2b's table, or null where it has no rows (no /proc, or not run). */
export function cpuTable(s: Summary): ReportTable | null {
  if (s.cpu.length === 0) return null;
  return {
    section: 'overhead',
    title: '2b. Where a checkpoint\'s cost goes: CPU time per thread of the bench\'s Chromium, checkpoint every 10 steps vs none (Linux /proc)',
    head: ['backend', 'model', 'thread(s)', 'ms/step, none', 'ms/step, every 10', 'extra ms per checkpoint'],
    rows: s.cpu.map((c) => [c.backend, c.model, c.group, fmt(c.perStepNever), fmt(c.perStepEvery10), fmt(c.perCheckpoint)]),
    note: 'One long repetition each way, alternated; the same number of steps each. training thread = the busiest DedicatedWorker (the bench worker); writer worker = the other one, '
      + 'which commits the checkpoints; renderer, other threads = mostly V8\'s garbage collector; browser process = where Chromium runs IndexedDB\'s backend and the disk writes. '
      + '"wall time" is the loop\'s own time until its last commit landed. On a 2-core machine, the CPU outside the training thread competes with it for the other core. '
      + 'The writer and browser rows are the checkpoints\' own work (near zero without them); the training-thread, other-renderer and wall rows differ by two large, noisy numbers, so only repeated figures mean anything.',
  };
}
