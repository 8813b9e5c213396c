/** Section 1: training throughput of the engine against a plain TF.js loop, per backend × model. */
import type { BackendName } from '../../../src/core/config';
import { trainStepFlops } from '../../../src/harness/bench/flops';
import { benchConfig, shapeOf, type BenchModelKey } from '../../../src/harness/bench/models';
import type { MatmulResult, ThroughputResult } from '../../../src/harness/bench/protocol';
import { median, pairedRatio, perSecond } from '../../../src/harness/bench/stats';
import { attempt, callTimeout, type Ctx } from '../context';
import type { BenchPage } from '../driver';
import { fmt, fmtRange, mark, range, type ReportTable, type Verdict } from '../format';
import type { Status, Summary } from '../results';
import { ceilingGflops } from './ceiling';

/** Engine steps/s ÷ plain TF.js steps/s, at least. */
export const ENGINE_OVER_PLAIN = 0.95;

/** Section 1, raw. */
export interface ThroughputEntry {
  backend: BackendName; model: BenchModelKey; status: Status; note?: string;
  /** FLOPs of one training step (see src/harness/bench/flops.ts). */
  flopsPerStep: number;
  result?: ThroughputResult;
}

/** Section 1 + 6, derived. */
export interface ThroughputRow {
  backend: BackendName; model: BenchModelKey; status: Status; note?: string;
  steps: number; engineStepsPerSec: number; plainStepsPerSec: number;
  /** Median over repetitions of engine steps/s ÷ plain steps/s (paired). */
  ratio: number;
  /** Smallest and largest per-repetition ratio. */
  ratioRange: [number, number];
  /** Timed repetitions. */
  reps: number;
  /** Share of the engine's step time spent in its data pipeline. */
  pipelineShare: number;
  pipelineMsPerStep: number;
  firstStepMs: number;
  achievedGflops: number;
  ceilingGflops: number | null;
  meetsTarget: boolean;
}

/** Section 1's measurements on one backend's page: every model the plan names for it. */
export async function runThroughput(ctx: Ctx, page: BenchPage, backend: BackendName, available: BackendName[]): Promise<void> {
  for (const model of ctx.plan.modelsFor(backend, available)) {
    ctx.progress.setSection(`1 throughput ${backend} ${model}`);
    const config = benchConfig(model, backend);
    const flopsPerStep = trainStepFlops(shapeOf(config), config.batch);
    const r = await attempt(ctx, `throughput ${backend} ${model}`, () => page.call('throughput', { config, plan: ctx.plan.throughput }, callTimeout(ctx.plan)));
    ctx.res.throughput.push(r.ok ? { backend, model, status: 'ok', flopsPerStep, result: r.value } : { backend, model, status: r.status, note: r.note, flopsPerStep });
  }
}

/** Section 1 row from raw figures. */
export function throughputRow(e: ThroughputEntry, ceiling: MatmulResult | undefined): ThroughputRow {
  const ceilingG = ceiling ? ceilingGflops(ceiling) : null;
  const base = { backend: e.backend, model: e.model, status: e.status, note: e.note, ceilingGflops: ceilingG };
  const r = e.result;
  if (e.status !== 'ok' || !r) {
    return { ...base, steps: 0, reps: 0, engineStepsPerSec: NaN, plainStepsPerSec: NaN, ratio: NaN, ratioRange: [NaN, NaN], pipelineShare: NaN, pipelineMsPerStep: NaN, firstStepMs: NaN, achievedGflops: NaN, meetsTarget: false };
  }
  const engineStepsPerSec = perSecond(r.steps, median(r.engineMs));
  // steps/s ratio = plain time ÷ engine time, paired per repetition.
  const ratio = pairedRatio(r.plainMs, r.engineMs);
  return {
    ...base,
    steps: r.steps,
    reps: r.engineMs.length,
    ratioRange: range(r.plainMs.map((p, i) => p / r.engineMs[i])),
    engineStepsPerSec,
    plainStepsPerSec: perSecond(r.steps, median(r.plainMs)),
    ratio,
    pipelineShare: pairedRatio(r.pipelineMs, r.engineMs),
    pipelineMsPerStep: median(r.pipelineMs) / r.steps,
    firstStepMs: r.firstStepMs,
    achievedGflops: (e.flopsPerStep * engineStepsPerSec) / 1e9,
    meetsTarget: ratio >= ENGINE_OVER_PLAIN,
  };
}

/** One verdict per measured (backend, model): engine ÷ plain against its target. */
export function throughputVerdicts(rows: ThroughputRow[]): Verdict[] {
  return rows.filter((r) => r.status === 'ok').map((t) => ({
    target: `engine ÷ plain ≥ ${ENGINE_OVER_PLAIN} (${t.backend}, ${t.model})`, met: t.meetsTarget,
    detail: `${t.ratio.toFixed(3)} (repetitions ${fmtRange(t.ratioRange)}; data pipeline ${(t.pipelineShare * 100).toFixed(0)}% of the engine's step)`,
  }));
}

/** Section 1's table. */
export function throughputTable(s: Summary): ReportTable {
  return {
    section: 'throughput',
    title: '1. Training throughput: engine vs plain TF.js (same model, batch 32, Adam; both await the loss each step)',
    head: ['backend', 'model', 'reps × steps', 'engine steps/s', 'plain steps/s', 'engine÷plain', 'per-rep range', '≥0.95', 'pipeline ms/step', 'pipeline share', 'first step ms'],
    rows: s.throughput.map((t) => t.status === 'ok'
      ? [t.backend, t.model, `${t.reps} × ${t.steps}`, fmt(t.engineStepsPerSec), fmt(t.plainStepsPerSec), t.ratio.toFixed(3), fmtRange(t.ratioRange), mark(t.meetsTarget), fmt(t.pipelineMsPerStep), `${(t.pipelineShare * 100).toFixed(0)}%`, fmt(t.firstStepMs)]
      : [t.backend, t.model, t.status, '—', '—', '—', '—', '', '—', '—', t.note?.replace(/^Error: /, '').slice(0, 60) ?? '']),
    note: 'engine = Trainer.trainStep (data pipeline + named-variable model + the engine\'s Adam); plain = tf.sequential of tf.layers + tf.train.adam + optimizer.minimize over batches made in advance. '
      + 'Ratio = median over repetitions of (plain time ÷ engine time), repetitions interleaved A B, B A, ... pipeline share = the engine\'s data pipeline alone ÷ the engine\'s step.',
  };
}
