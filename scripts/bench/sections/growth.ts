/** Section 4: snapshot, commit and restore as the parameter count grows (digits MLP, two equal hidden layers). */
import type { BackendName } from '../../../src/core/config';
import { mlpWidthForParams } from '../../../src/harness/bench/flops';
import { benchConfig } from '../../../src/harness/bench/models';
import type { GrowthPoint } from '../../../src/harness/bench/protocol';
import { median, pairedRatio } from '../../../src/harness/bench/stats';
import { lineChartSvg, type Series } from '../../lib/plot';
import { attempt, type Ctx } from '../context';
import { BenchPage } from '../driver';
import { COLORS, fmt, formatBytes, MB, type ReportTable } from '../format';
import type { BenchResults, Summary } from '../results';

/** Hidden layers of the growth models. */
const LAYERS = 2;

/** Section 4, raw. */
export interface GrowthEntry { backend: BackendName; points: GrowthPoint[] }

/** Section 4, derived. */
export interface GrowthRow {
  hidden: number[]; params: number; bytes: number; stepMs: number;
  snapshotMs: number; encodeMs: number; commitMs: number; readMs: number; verifyMs: number; loadMs: number;
  restoreMs: number; managerRestoreMs: number; commitMBps: number;
  /** One raw strict put of the same bytes, and commit throughput ÷ its throughput. */
  rawPutMs: number; rawMBps: number; commitOverRaw: number;
  /** The two costs of encoding measured apart: one copy of the bytes (packing), one xxHash32 of them. */
  copyMs: number; checksumMs: number;
}

/** Section 4 on one backend, in a page of its own: one point per target size, stopping at the first that fails. */
export async function runGrowth(ctx: Ctx, backend: BackendName): Promise<void> {
  const page = await BenchPage.open(ctx.browser, ctx.url, ctx.progress);
  const entry: GrowthEntry = { backend, points: [] };
  ctx.res.growth = entry;
  try {
    await page.start(backend);
    for (const target of ctx.plan.growthTargets) {
      const width = mlpWidthForParams(target, LAYERS, [28, 28, 1], 10);
      // Widths above the app's limit of 1024 are fine here: the bench builds the Trainer directly.
      const config = benchConfig('digits-mlp', backend, { hidden: Array(LAYERS).fill(width), activation: 'relu', maxToKeep: 1 });
      ctx.progress.setSection(`4 growth ${backend} ~${target.toExponential(0)} params (hidden ${width}x${width})`);
      const r = await attempt(ctx, `growth ${target.toExponential(0)}`, () => page.call('growth', { config, reps: ctx.plan.growthReps }, 600_000));
      if (!r.ok) break;
      entry.points.push(r.value);
    }
  } finally {
    await page.close();
  }
}

/** Section 4 row. */
export function growthRow(p: GrowthPoint): GrowthRow {
  const restore = p.readMs.map((r, i) => r + p.verifyMs[i] + p.loadMs[i]);
  return {
    hidden: p.hidden, params: p.params, bytes: p.bytes, stepMs: p.stepMs,
    snapshotMs: median(p.snapshotMs), encodeMs: median(p.encodeMs), commitMs: median(p.commitMs),
    readMs: median(p.readMs), verifyMs: median(p.verifyMs), loadMs: median(p.loadMs), restoreMs: median(restore),
    managerRestoreMs: median(p.managerRestoreMs), commitMBps: p.bytes / MB / (median(p.commitMs) / 1000),
    rawPutMs: median(p.rawPutMs), rawMBps: p.bytes / MB / (median(p.rawPutMs) / 1000), commitOverRaw: pairedRatio(p.rawPutMs, p.commitMs),
    copyMs: median(p.copyMs), checksumMs: median(p.checksumMs),
  };
}

/** Section 4's table. */
export function growthTable(s: Summary, res: BenchResults): ReportTable {
  return {
    section: 'growth',
    title: `4. Growth with parameter count (digits MLP, two equal hidden layers, Adam; ${res.growth?.backend ?? '—'} backend; medians, ms)`,
    head: ['hidden', 'params', 'ckpt size', 'step', 'snapshot', 'pack', '(copy', 'xxh32)', 'commit', 'raw put', 'commit MB/s', 'raw MB/s', 'commit÷raw', 'read', 'verify', 'load', 'restore', 'restoreCheckpoint'],
    rows: s.growth.map((g) => [g.hidden.join('x'), fmt(g.params), formatBytes(g.bytes), fmt(g.stepMs), fmt(g.snapshotMs), fmt(g.encodeMs), fmt(g.copyMs), fmt(g.checksumMs), fmt(g.commitMs), fmt(g.rawPutMs), fmt(g.commitMBps), fmt(g.rawMBps), g.commitOverRaw.toFixed(3),
      fmt(g.readMs), fmt(g.verifyMs), fmt(g.loadMs), fmt(g.restoreMs), fmt(g.managerRestoreMs)]),
    note: 'pack = manager.save\'s synchronous part; commit includes it, the checksums and the transaction; (copy, xxh32) = the two costs of encoding timed apart on the same bytes; raw put = one strict put of the same bytes as one ArrayBuffer. restore = read + verify + load; restoreCheckpoint = read + verify through the app\'s reader, the cross-check.',
  };
}

/** growth.svg: snapshot, commit, restore, one step and a raw put against parameters (log-log); null when nothing to plot. */
export function growthPlot(s: Summary, res: BenchResults): string | null {
  if (s.growth.length === 0) return null;
  const pick = (f: (g: GrowthRow) => number): Array<[number, number]> => s.growth.map((g) => [g.params, f(g)]);
  const series: Series[] = [
    { label: 'snapshot', points: pick((g) => g.snapshotMs), color: COLORS[0] },
    { label: 'commit', points: pick((g) => g.commitMs), color: COLORS[1] },
    { label: 'restore', points: pick((g) => g.restoreMs), color: COLORS[2] },
    { label: 'one step', points: pick((g) => g.stepMs), color: '#777', dash: '4 3' },
    { label: 'raw put', points: pick((g) => g.rawPutMs), color: COLORS[3], dash: '6 3' },
  ];
  return lineChartSvg(series, {
    title: `Checkpoint cost vs parameters (${res.growth?.backend}, log-log)`, xLabel: 'parameters', yLabel: 'ms (median)', logX: true, logY: true,
  });
}
