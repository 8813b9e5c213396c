/**
 * Section 3b: a restore from page load to the first resumed step. A
 * backend's page first commits a checkpoint to restore (prepareRestore);
 * then fresh tabs restore it at load, each in a fresh worker.
 */
import type { BackendName } from '../../../src/core/config';
import { benchConfig, type BenchModelKey } from '../../../src/harness/bench/models';
import type { RestoreResult } from '../../../src/harness/bench/protocol';
import { median } from '../../../src/harness/bench/stats';
import { attempt, callTimeout, type Ctx } from '../context';
import { BenchPage, withTimeout } from '../driver';
import { fmt, formatBytes, type ReportTable } from '../format';
import type { Summary } from '../results';

/** Section 3b, raw: one result per timed page load. */
export interface RestoreEntry { backend: BackendName; model: BenchModelKey; results: RestoreResult[] }

/** Section 3b, derived: medians of each phase. */
export interface RestoreRow {
  backend: BackendName; model: BenchModelKey; bytes: number; reps: number;
  pageLoadMs: number; workerStartMs: number; backendInitMs: number; dataMs: number; templateMs: number;
  readMs: number; verifyMs: number; loadMs: number; firstStepMs: number; secondStepMs: number;
  /** Navigation start to the end of the first resumed step. */
  totalMs: number;
  managerRestoreMs: number;
}

/** The run a restore of (backend, model) reads. */
const restoreRunId = (backend: BackendName, model: BenchModelKey) => `restore-${backend}-${model}`;

/** On a backend's page: commits the checkpoint its restore pages will read. */
export async function runPrepareRestore(ctx: Ctx, page: BenchPage, backend: BackendName, model: BenchModelKey): Promise<void> {
  ctx.progress.setSection(`3 preparing a checkpoint to restore ${backend} ${model}`);
  await attempt(ctx, `prepare restore ${backend} ${model}`, () => page.call('prepareRestore', { config: benchConfig(model, backend), runId: restoreRunId(backend, model), steps: 5 }, callTimeout(ctx.plan)));
}

/** Fresh tabs that restore at load; the first load is a warm-up. One failed load is reported and skipped; two in a row end the series. */
export async function runRestore(ctx: Ctx, backend: BackendName, model: BenchModelKey): Promise<void> {
  const { progress, plan } = ctx;
  const results: RestoreResult[] = [];
  const reps = plan.restoreReps(backend);
  let failures = 0;
  for (let r = -1; r < reps; r++) {
    progress.setSection(`3 restore from page load ${backend} ${model}`);
    progress.setDetail(r < 0 ? 'warm-up load' : `load ${r + 1}/${reps}`);
    const out = await attempt(ctx, `restore ${backend} ${model} (load ${r + 1})`, async () => {
      const page = await BenchPage.open(ctx.browser, ctx.url, progress, `&restore=${encodeURIComponent(restoreRunId(backend, model))}&backend=${backend}`);
      try {
        return await withTimeout(page.page.evaluate(() => window.resumableBench!.restoreOnLoad!), 120_000, 'restore at load');
      } finally {
        await page.close();
      }
    });
    if (!out.ok) {
      if (++failures >= 2) break;
      continue;
    }
    failures = 0;
    if (r >= 0) results.push(out.value);
  }
  if (results.length > 0) ctx.res.restore.push({ backend, model, results });
}

/** Section 3b row: the median of each phase over the page loads. */
export function restoreRow(e: RestoreEntry): RestoreRow {
  const phase = (f: (m: RestoreResult['marks']) => number) => median(e.results.map((r) => f(r.marks)));
  return {
    backend: e.backend, model: e.model, bytes: e.results[0]?.bytes ?? 0, reps: e.results.length,
    pageLoadMs: phase((m) => m.apiInstalled - m.pageOrigin),
    workerStartMs: phase((m) => m.requestReceived - m.workerCreated),
    backendInitMs: phase((m) => m.backendReady - m.requestReceived),
    dataMs: phase((m) => m.dataReady - m.backendReady),
    templateMs: phase((m) => m.templateReady - m.dataReady),
    readMs: phase((m) => m.read - m.templateReady),
    verifyMs: phase((m) => m.verified - m.read),
    loadMs: phase((m) => m.loaded - m.verified),
    firstStepMs: phase((m) => m.firstStep - m.loaded),
    secondStepMs: phase((m) => m.secondStep - m.firstStep),
    totalMs: phase((m) => m.firstStep - m.pageOrigin),
    managerRestoreMs: median(e.results.map((r) => r.managerRestoreMs)),
  };
}

/** Section 3b's table. */
export function restoreTable(s: Summary): ReportTable {
  return {
    section: 'restore',
    title: '3b. Restore from page load to the first resumed step (fresh tab, fresh worker; medians, ms)',
    head: ['backend', 'model', 'size', 'page load', 'worker start', 'backend init', 'data', 'fresh objects', 'read', 'verify', 'load', 'first step', 'total', '2nd step'],
    rows: s.restore.map((r) => [r.backend, r.model, formatBytes(r.bytes), fmt(r.pageLoadMs), fmt(r.workerStartMs), fmt(r.backendInitMs), fmt(r.dataMs), fmt(r.templateMs), fmt(r.readMs), fmt(r.verifyMs), fmt(r.loadMs), fmt(r.firstStepMs), fmt(r.totalMs), fmt(r.secondStepMs)]),
    note: 'worker start = new Worker() until the worker handles its first message (fetch + evaluation of TF.js and the engine). fresh objects = building the model, optimizer and pipeline and snapshotting the template. The first step includes kernel (shader) compilation.',
  };
}
