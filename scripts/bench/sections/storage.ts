/** Section 3a: a checkpoint commit against one raw IndexedDB put of the same bytes, per model. */
import type { BackendName } from '../../../src/core/config';
import { benchConfig, type BenchModelKey } from '../../../src/harness/bench/models';
import type { StorageResult } from '../../../src/harness/bench/protocol';
import { median, pairedRatio } from '../../../src/harness/bench/stats';
import { attempt, type Ctx } from '../context';
import { BenchPage } from '../driver';
import { fmt, formatBytes, mark, MB, type ReportTable, type Verdict } from '../format';
import type { Status, Summary } from '../results';

/** Commit throughput ÷ raw IndexedDB put throughput, at least. */
export const COMMIT_OVER_RAW = 0.8;

/** Section 3a, raw. */
export interface StorageEntry { backend: BackendName; model: BenchModelKey; status: Status; note?: string; result?: StorageResult }

/** Section 3a, derived. */
export interface StorageRow {
  backend: BackendName; model: BenchModelKey; status: Status; note?: string; bytes: number; tensorCount: number;
  commitMs: number; encodeMs: number; rawStrictMs: number; rawRelaxedMs: number; rawGetPutMs: number;
  commitMBps: number; rawMBps: number; rawRelaxedMBps: number;
  /** Paired median of raw strict put time ÷ (commit − save()'s packing): the rest of a commit against the raw put. */
  idbRatio: number;
  /** Paired median of commit throughput ÷ raw strict put throughput. */
  ratio: number;
  /** Median commit through a manager without a writer worker, and its paired ratio to the raw put: the transaction without the hop. */
  inThreadMs: number; inThreadRatio: number;
  meetsTarget: boolean;
}

/** Section 3a on one backend, in a page of its own: every model of the plan. */
export async function runStorage(ctx: Ctx, backend: BackendName): Promise<void> {
  const page = await BenchPage.open(ctx.browser, ctx.url, ctx.progress);
  try {
    await page.start(backend);
    for (const model of ctx.plan.storageModels) {
      ctx.progress.setSection(`3 storage ${backend} ${model}`);
      const r = await attempt(ctx, `storage ${model}`, () => page.call('storage', { config: benchConfig(model, backend), reps: ctx.plan.storageReps }, 300_000));
      ctx.res.storage.push(r.ok ? { backend, model, status: 'ok', result: r.value } : { backend, model, status: r.status, note: r.note });
    }
  } finally {
    await page.close();
  }
}

/** Section 3a row from raw figures. */
export function storageRow(e: StorageEntry): StorageRow {
  const r = e.result;
  if (e.status !== 'ok' || !r) {
    return {
      backend: e.backend, model: e.model, status: e.status, note: e.note, bytes: 0, tensorCount: 0, commitMs: NaN, encodeMs: NaN,
      rawStrictMs: NaN, rawRelaxedMs: NaN, rawGetPutMs: NaN, commitMBps: NaN, rawMBps: NaN, rawRelaxedMBps: NaN, idbRatio: NaN, ratio: NaN,
      inThreadMs: NaN, inThreadRatio: NaN, meetsTarget: false,
    };
  }
  const ratio = pairedRatio(r.rawStrictMs, r.commitMs);
  const mbps = (ms: number[]) => r.bytes / MB / (median(ms) / 1000);
  return {
    backend: e.backend, model: e.model, status: 'ok', bytes: r.bytes, tensorCount: r.tensorCount,
    commitMs: median(r.commitMs), encodeMs: median(r.encodeMs), rawStrictMs: median(r.rawStrictMs), rawRelaxedMs: median(r.rawRelaxedMs),
    rawGetPutMs: median(r.rawGetPutMs),
    commitMBps: mbps(r.commitMs), rawMBps: mbps(r.rawStrictMs), rawRelaxedMBps: mbps(r.rawRelaxedMs),
    idbRatio: pairedRatio(r.rawStrictMs, r.commitMs.map((c, i) => c - r.encodeMs[i])),
    ratio, meetsTarget: ratio >= COMMIT_OVER_RAW,
    // Results written before the in-thread commit was measured lack it.
    inThreadMs: r.commitInThreadMs?.length ? median(r.commitInThreadMs) : NaN,
    inThreadRatio: r.commitInThreadMs?.length ? pairedRatio(r.rawStrictMs, r.commitInThreadMs) : NaN,
  };
}

/** One verdict per measured model: commit against raw put throughput. */
export function storageVerdicts(rows: StorageRow[]): Verdict[] {
  return rows.filter((s) => s.status === 'ok').map((s) => ({
    target: `commit ≥ ${COMMIT_OVER_RAW} × raw put throughput (${s.model}, ${formatBytes(s.bytes)})`, met: s.meetsTarget,
    detail: `${s.ratio.toFixed(3)} (commit ${fmt(s.commitMs)} ms, of which packing ${fmt(s.encodeMs)} ms, vs raw put ${fmt(s.rawStrictMs)} ms; IndexedDB part alone ${s.idbRatio.toFixed(3)}; raw get-then-put ${fmt(s.rawGetPutMs)} ms)`,
  }));
}

/** Section 3a's table. */
export function storageTable(s: Summary): ReportTable {
  return {
    section: 'storage',
    title: '3a. Storage: checkpoint commit (manager, strict) vs one raw IndexedDB put of the same bytes',
    head: ['backend', 'model', 'size', 'tensors', 'commit ms', 'of which packing', 'raw strict ms', 'raw get+put ms', 'raw relaxed ms', 'commit MB/s', 'raw MB/s', 'commit÷raw', '≥0.8', 'IDB part÷raw', 'in-thread commit ms', 'in-thread÷raw'],
    rows: s.storage.map((r) => r.status === 'ok'
      ? [r.backend, r.model, formatBytes(r.bytes), String(r.tensorCount), fmt(r.commitMs), fmt(r.encodeMs), fmt(r.rawStrictMs), fmt(r.rawGetPutMs), fmt(r.rawRelaxedMs), fmt(r.commitMBps), fmt(r.rawMBps), r.ratio.toFixed(3), mark(r.meetsTarget), r.idbRatio.toFixed(3), fmt(r.inThreadMs), r.inThreadRatio.toFixed(3)]
      : [r.backend, r.model, r.status, '', '', '', '', '', '', '', '', '', r.note?.slice(0, 40) ?? '', '', '', '']),
    note: 'commit÷raw = throughput of manager.save (packing, then xxHash32 checksums + one transaction: claim the generation, put bytes and header into the pruned checkpoint\'s slot, put manifest; in the writer worker) ÷ one put of the same bytes in the bench worker; '
      + 'IDB part = commit − packing (the copy done synchronously in save). in-thread = the same commit through a manager without a writer worker: the transaction without the hop to the writer and back. Operations run in balanced order with a 20 ms pause after each. raw get+put = a get awaited before two puts, the shape the manager\'s transaction had before it kept the manifest in memory.',
  };
}
