/**
 * The bench's results: the raw figures as measured (bench.json), the rows
 * and verdicts derived from them (pure functions, unit-tested), and their
 * renderings as a terminal table, a Markdown summary and SVG plots.
 */
import type { BenchModelKey } from '../../src/bench/models';
import type {
  GrowthPoint, MatmulResult, OverheadResult, RestoreResult, StorageResult, ThroughputResult,
} from '../../src/bench/protocol';
import { matmulFlops } from '../../src/bench/flops';
import { median, pairedRatio, perSecond } from '../../src/bench/stats';
import { CPU_GROUPS, type CpuGroup } from './proc-cpu';
import type { BackendName } from '../../src/engine/config';
import { longTaskRow, type LongTaskEntry, type LongTaskRow } from './bench-longtasks';
import { lineChartSvg, type Series } from './plot';

/** Targets the bench checks its figures against. */
export const TARGETS = {
  /** Engine steps/s ÷ plain TF.js steps/s, at least. */
  engineOverPlain: 0.95,
  /** Steps/s with a checkpoint every 10 steps ÷ without, at least (costs ≤ 5%). */
  every10OverNone: 0.95,
  /** Training-loop time blocked per checkpoint ÷ one step's time, at most. */
  blockedOverStep: 1,
  /** Commit throughput ÷ raw IndexedDB put throughput, at least. */
  commitOverRaw: 0.8,
} as const;

/** Where and with what the bench ran. */
export interface BenchMeta {
  /** ISO time the run started. */
  startedAt: string;
  /** Wall time of the whole run, in s. */
  wallS: number;
  /** --quick. */
  quick: boolean;
  /** Sections run (--only); absent in results from before --only existed, which ran all of them. */
  sections?: string[];
  /** Backends asked for. */
  backendsRequested: BackendName[];
  /** Backends that started, with their adapters. */
  backends: Array<{ backend: BackendName; adapter: string; initMs: number }>;
  /** Backends that did not start, and why. */
  unavailable: Array<{ backend: BackendName; reason: string }>;
  /** Timed repetitions per measurement (after warm-up). */
  reps: number;
  /** The machine. */
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string; node: string; chromium: string; tfjs: string };
  /** 1-minute load average when the run started and when it ended (above the core count = other work competed). */
  loadAverage: { start: number; end: number };
}

/** Outcome of a measurement that may not run everywhere. */
export type Status = 'ok' | 'unsupported' | 'error';

/** Section 1, raw. */
export interface ThroughputEntry {
  backend: BackendName; model: BenchModelKey; status: Status; note?: string;
  /** FLOPs of one training step (see src/bench/flops.ts). */
  flopsPerStep: number;
  result?: ThroughputResult;
}
/** Section 2, raw. */
export interface OverheadEntry { backend: BackendName; model: BenchModelKey; result: OverheadResult }
/** Section 3, raw. */
export interface StorageEntry { backend: BackendName; model: BenchModelKey; status: Status; note?: string; result?: StorageResult }
/** Section 3 (restore), raw: one result per timed page load. */
export interface RestoreEntry { backend: BackendName; model: BenchModelKey; results: RestoreResult[] }
/** Section 4, raw. */
export interface GrowthEntry { backend: BackendName; points: GrowthPoint[] }
/** Section 6, raw. */
export interface CeilingEntry { backend: BackendName; result: MatmulResult }

/** Section 2b: per-thread CPU of the bench's Chromium over one long repetition of the loop, with checkpoints every 10 steps or none. */
export interface CpuEntry {
  backend: BackendName; model: BenchModelKey;
  /** In the order run, alternating every 10 and never. */
  runs: Array<{ every: number; steps: number; wallMs: number; cpuMs: Record<CpuGroup, number> }>;
}

/** Everything bench.json holds. */
export interface BenchResults {
  meta: BenchMeta;
  throughput: ThroughputEntry[];
  ceilings: CeilingEntry[];
  overhead: OverheadEntry[];
  /** Section 2b (absent in reports from before it existed, empty where /proc cannot be read). */
  cpu?: CpuEntry[];
  storage: StorageEntry[];
  restore: RestoreEntry[];
  growth: GrowthEntry | null;
  /** Section 5, one entry per backend (a single entry with another shape in reports from before it ran on the playground page). */
  longTasks: LongTaskEntry[];
  /** Measurements that failed, with the error. */
  problems: string[];
  /** Rows derived from the raw figures. */
  summary?: Summary;
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

/** Section 2b, derived: one row per CPU group of one (backend, model). */
export interface CpuRow {
  backend: BackendName; model: BenchModelKey; group: CpuGroup;
  /** CPU ms per step of that group without checkpoints, and with one every 10 steps (means over the runs). */
  perStepNever: number; perStepEvery10: number;
  /** Extra CPU ms of that group per checkpoint: (with − without) × 10. */
  perCheckpoint: number;
}

/** Rows of section 2b: each group's CPU with and without checkpoints, and a 'total' row; a group that used under 0.005 ms a step either way is left out. */
export function cpuRows(e: CpuEntry): Array<CpuRow | (Omit<CpuRow, 'group'> & { group: 'all threads' | 'wall time' })> {
  const perStep = (every: number, f: (r: CpuEntry['runs'][number]) => number): number => {
    const runs = e.runs.filter((r) => r.every === every);
    if (runs.length === 0) throw new Error(`cpu ${e.backend} ${e.model}: no run with every = ${every}`);
    return runs.reduce((sum, r) => sum + f(r) / r.steps, 0) / runs.length;
  };
  const row = (group: CpuRow['group'] | 'all threads' | 'wall time', f: (r: CpuEntry['runs'][number]) => number) => {
    const never = perStep(0, f);
    const every = perStep(10, f);
    return { backend: e.backend, model: e.model, group, perStepNever: never, perStepEvery10: every, perCheckpoint: (every - never) * 10 };
  };
  const groups = CPU_GROUPS.map((g) => row(g, (r) => r.cpuMs[g])).filter((r) => Math.max(r.perStepNever, r.perStepEvery10) >= 0.005);
  const sum = (r: CpuEntry['runs'][number]) => CPU_GROUPS.reduce((t, g) => t + r.cpuMs[g], 0);
  return [...groups, row('all threads', sum), row('wall time', (r) => r.wallMs)];
}

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

/** Section 3, derived. */
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

/** Section 3 (restore), derived: medians of each phase. */
export interface RestoreRow {
  backend: BackendName; model: BenchModelKey; bytes: number; reps: number;
  pageLoadMs: number; workerStartMs: number; backendInitMs: number; dataMs: number; templateMs: number;
  readMs: number; verifyMs: number; loadMs: number; firstStepMs: number; secondStepMs: number;
  /** Navigation start to the end of the first resumed step. */
  totalMs: number;
  managerRestoreMs: number;
}

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

/** All derived rows and the verdicts. */
export interface Summary {
  throughput: ThroughputRow[];
  overhead: OverheadRow[];
  cpu: ReturnType<typeof cpuRows>;
  storage: StorageRow[];
  restore: RestoreRow[];
  growth: GrowthRow[];
  longTasks: LongTaskRow[];
  /** Best raw strict-put throughput seen (MB/s): the storage ceiling. */
  storageCeilingMBps: number | null;
  verdicts: Array<{ target: string; met: boolean; detail: string }>;
}

const MB = 1e6;

/** [min, max] of a non-empty list. */
export function range(xs: readonly number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** Attainable GFLOP/s of a backend: a square matmul's FLOPs over its median time. */
export function ceilingGflops(r: MatmulResult): number {
  return matmulFlops(r.n, r.n, r.n) / median(r.ms) / 1e6;
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
    meetsTarget: ratio >= TARGETS.engineOverPlain,
  };
}

/** Section 2 rows from raw figures; the app's loop (it yields) without checkpoints is the baseline of every row. */
export function overheadRows(e: OverheadEntry): OverheadRow[] {
  const none = e.result.runs.find((r) => r.every === 0 && r.yieldEveryStep);
  if (!none) throw new Error('overhead: no run without checkpoints to compare with');
  const stepMs = median(none.stepMs);
  return e.result.runs.map((run) => {
    const blocked = run.snapshotMs.map((s, i) => s + run.encodeMs[i]);
    const blockedMs = blocked.length > 0 ? median(blocked) : 0;
    const ratioLoop = pairedRatio(none.loopMs, run.loopMs);
    return {
      backend: e.backend, model: e.model, every: run.every, steps: e.result.steps, bytes: e.result.bytes,
      yieldEveryStep: run.yieldEveryStep,
      pendingShare: run.savesPerRep > 0 ? median(run.pendingAtLoopEnd) / run.savesPerRep : 0,
      stepsAtRisk: median(run.maxStepsAtRisk),
      stepsPerSec: perSecond(e.result.steps, median(run.loopMs)),
      ratioLoop,
      ratioDrained: pairedRatio(none.totalMs, run.totalMs),
      ratioDrainedRange: range(none.totalMs.map((t, i) => t / run.totalMs[i])),
      blockedMs,
      snapshotMs: run.snapshotMs.length > 0 ? median(run.snapshotMs) : 0,
      encodeMs: run.encodeMs.length > 0 ? median(run.encodeMs) : 0,
      commitMs: run.commitMs.length > 0 ? median(run.commitMs) : 0,
      stepMs,
      meetsTarget: run.every === 10 && run.yieldEveryStep ? pairedRatio(none.totalMs, run.totalMs) >= TARGETS.every10OverNone && blockedMs <= stepMs * TARGETS.blockedOverStep : null,
    };
  });
}

/** Section 3 row from raw figures. */
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
    ratio, meetsTarget: ratio >= TARGETS.commitOverRaw,
    inThreadMs: median(r.commitInThreadMs ?? []), inThreadRatio: r.commitInThreadMs?.length ? pairedRatio(r.rawStrictMs, r.commitInThreadMs) : NaN,
  };
}

/** Section 3 (restore) row: the median of each phase over the page loads. */
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

/** Every derived row and the verdict on each target. */
export function summarize(res: BenchResults): Summary {
  const ceilings = new Map(res.ceilings.map((c) => [c.backend, c.result]));
  const throughput = res.throughput.map((e) => throughputRow(e, ceilings.get(e.backend)));
  const overhead = res.overhead.flatMap(overheadRows);
  const cpu = (res.cpu ?? []).flatMap(cpuRows);
  const storage = res.storage.map(storageRow);
  const restore = res.restore.filter((e) => e.results.length > 0).map(restoreRow);
  const growth = (res.growth?.points ?? []).map(growthRow);
  const longTasks = (Array.isArray(res.longTasks) ? res.longTasks : []).filter((e) => e.runs.length > 0).map(longTaskRow);
  const okStorage = storage.filter((s) => s.status === 'ok');
  const rawRates = [...okStorage.map((s) => s.rawMBps), ...growth.map((g) => g.rawMBps)];
  const storageCeilingMBps = rawRates.length > 0 ? Math.max(...rawRates) : null;
  const verdicts: Summary['verdicts'] = [];
  for (const t of throughput.filter((r) => r.status === 'ok')) {
    verdicts.push({
      target: `engine ÷ plain ≥ ${TARGETS.engineOverPlain} (${t.backend}, ${t.model})`, met: t.meetsTarget,
      detail: `${t.ratio.toFixed(3)} (repetitions ${t.ratioRange[0].toFixed(2)}–${t.ratioRange[1].toFixed(2)}; data pipeline ${(t.pipelineShare * 100).toFixed(0)}% of the engine's step)`,
    });
  }
  for (const o of overhead.filter((r) => r.every === 10 && r.yieldEveryStep)) {
    const y = overhead.find((r) => r.backend === o.backend && r.model === o.model && r.every === 10 && !r.yieldEveryStep);
    verdicts.push({
      target: `every-10 costs ≤ 5% (${o.backend}, ${o.model})`, met: o.ratioDrained >= TARGETS.every10OverNone,
      detail: `steps/s ratio ${o.ratioDrained.toFixed(3)} with commits drained (repetitions ${o.ratioDrainedRange[0].toFixed(2)}–${o.ratioDrainedRange[1].toFixed(2)}), ${o.ratioLoop.toFixed(3)} loop only; `
        + `up to ${fmt(o.stepsAtRisk)} of ${o.steps} steps past the newest committed checkpoint`
        + (y ? `; without the per-step yield: ${y.ratioDrained.toFixed(3)} drained, up to ${fmt(y.stepsAtRisk)} steps at risk` : ''),
    });
  }
  const blockedBy = new Map<string, OverheadRow>();
  for (const o of overhead.filter((r) => r.every > 0 && r.yieldEveryStep)) {
    const key = `${o.backend}|${o.model}`;
    const prev = blockedBy.get(key);
    if (!prev || o.every === 1) blockedBy.set(key, o);
  }
  for (const o of blockedBy.values()) {
    verdicts.push({ target: `blocked per checkpoint ≤ one step (${o.backend}, ${o.model})`, met: o.blockedMs <= o.stepMs * TARGETS.blockedOverStep, detail: `${o.blockedMs.toFixed(2)} ms blocked (snapshot ${o.snapshotMs.toFixed(2)} + encode ${o.encodeMs.toFixed(2)}) vs ${o.stepMs.toFixed(2)} ms step` });
  }
  for (const s of okStorage) {
    verdicts.push({
      target: `commit ≥ ${TARGETS.commitOverRaw} × raw put throughput (${s.model}, ${fmtBytes(s.bytes)})`, met: s.meetsTarget,
      detail: `${s.ratio.toFixed(3)} (commit ${fmt(s.commitMs)} ms, of which packing ${fmt(s.encodeMs)} ms, vs raw put ${fmt(s.rawStrictMs)} ms; IndexedDB part alone ${s.idbRatio.toFixed(3)}; raw get-then-put ${fmt(s.rawGetPutMs)} ms)`,
    });
  }
  for (const l of longTasks) {
    verdicts.push({
      target: `no long task during a run (${l.backend}, playground page)`, met: l.countMax === 0,
      detail: `${l.runsWithNone} of ${l.reps} runs had none; per run median ${fmt(l.countMedian)}, most ${l.countMax}; longest ${fmt(l.longestMs)} ms`,
    });
  }
  return { throughput, overhead, cpu, storage, restore, growth, longTasks, storageCeilingMBps, verdicts };
}

/** Bytes as B / KiB / MiB. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A number with about three significant digits ('—' for NaN). */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 10 ** digits) return x.toFixed(0);
  if (a === 0) return '0';
  return Number(x.toPrecision(digits)).toString();
}

/** A table as aligned text columns. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A table as Markdown. */
export function mdTable(head: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? 'yes' : 'NO');

/** One table of the report; `section` is the --only name that produces it. */
export interface ReportTable { section: string; title: string; head: string[]; rows: string[][]; note?: string }

/** The tables of the sections that ran (all when meta.sections is absent). */
export function tables(s: Summary, res: BenchResults): ReportTable[] {
  const ran = res.meta.sections ? new Set(res.meta.sections) : null;
  return allTables(s, res).filter((t) => ran === null || ran.has(t.section));
}

function allTables(s: Summary, res: BenchResults): ReportTable[] {
  const out: ReportTable[] = [];
  out.push({
    section: 'throughput',
    title: '1. Training throughput: engine vs plain TF.js (same model, batch 32, Adam; both await the loss each step)',
    head: ['backend', 'model', 'reps × steps', 'engine steps/s', 'plain steps/s', 'engine÷plain', 'per-rep range', '≥0.95', 'pipeline ms/step', 'pipeline share', 'first step ms'],
    rows: s.throughput.map((t) => t.status === 'ok'
      ? [t.backend, t.model, `${t.reps} × ${t.steps}`, fmt(t.engineStepsPerSec), fmt(t.plainStepsPerSec), t.ratio.toFixed(3), `${t.ratioRange[0].toFixed(2)}–${t.ratioRange[1].toFixed(2)}`, mark(t.meetsTarget), fmt(t.pipelineMsPerStep), `${(t.pipelineShare * 100).toFixed(0)}%`, fmt(t.firstStepMs)]
      : [t.backend, t.model, t.status, '—', '—', '—', '—', '', '—', '—', t.note?.replace(/^Error: /, '').slice(0, 60) ?? '']),
    note: 'engine = Trainer.trainStep (data pipeline + named-variable model + the engine\'s Adam); plain = tf.sequential of tf.layers + tf.train.adam + optimizer.minimize over batches made in advance. '
      + 'Ratio = median over repetitions of (plain time ÷ engine time), repetitions interleaved A B, B A, ... pipeline share = the engine\'s data pipeline alone ÷ the engine\'s step.',
  });
  out.push({
    section: 'overhead',
    title: '2. Checkpoint overhead (the app\'s training loop; real CheckpointManager over IndexedDB, strict durability)',
    head: ['backend', 'model', 'every', 'ckpt size', 'steps/s', 'ratio (drained)', 'per-rep range', 'ratio (loop)', 'max steps at risk', 'blocked ms/ckpt', 'snapshot ms', 'pack ms', 'commit ms', 'step ms', 'blocked÷step'],
    rows: s.overhead.map((o) => {
      const dash = o.every === 0;
      return [o.backend, o.model, `${o.every === 0 ? 'never' : String(o.every)}${o.yieldEveryStep ? '' : ', no yield'}`, fmtBytes(o.bytes), fmt(o.stepsPerSec), o.ratioDrained.toFixed(3),
        `${o.ratioDrainedRange[0].toFixed(2)}–${o.ratioDrainedRange[1].toFixed(2)}`, o.ratioLoop.toFixed(3),
        dash ? '—' : `${fmt(o.stepsAtRisk)} of ${o.steps}`, dash ? '—' : fmt(o.blockedMs), dash ? '—' : fmt(o.snapshotMs), dash ? '—' : fmt(o.encodeMs), dash ? '—' : fmt(o.commitMs), fmt(o.stepMs),
        dash ? '—' : fmt(o.blockedMs / o.stepMs)];
    }),
    note: 'The loop is Session.train\'s: step, snapshot when due, manager.save in the background, then a macrotask yield (engine/yieldTask). '
      + 'ratio = steps/s ÷ steps/s of that loop without checkpoints, paired per repetition; "drained" counts the time until every commit has landed. '
      + 'Blocked = awaited snapshot + manager.save\'s synchronous packing copy (the checksums are computed with the write). commit = from snapshot to committed (in the writer worker). "no yield": the loop without the per-step yield, as it was before; '
      + 'on wasm and cpu its IndexedDB callbacks cannot run until the loop ends. max steps at risk = the most steps past the newest committed checkpoint at any step\'s end: '
      + 'what a crash at the worst moment would lose (about the interval when commits keep up).',
  });
  if (s.cpu.length > 0) {
    out.push({
      section: 'overhead',
      title: '2b. Where a checkpoint\'s cost goes: CPU time per thread of the bench\'s Chromium, checkpoint every 10 steps vs none (Linux /proc)',
      head: ['backend', 'model', 'thread(s)', 'ms/step, none', 'ms/step, every 10', 'extra ms per checkpoint'],
      rows: s.cpu.map((c) => [c.backend, c.model, c.group, fmt(c.perStepNever), fmt(c.perStepEvery10), fmt(c.perCheckpoint)]),
      note: 'One long repetition each way, alternated; the same number of steps each. training thread = the busiest DedicatedWorker (the bench worker); writer worker = the other one, '
        + 'which commits the checkpoints; renderer, other threads = mostly V8\'s garbage collector; browser process = where Chromium runs IndexedDB\'s backend and the disk writes. '
        + '"wall time" is the loop\'s own time until its last commit landed. On a 2-core machine, the CPU outside the training thread competes with it for the other core. '
        + 'The writer and browser rows are the checkpoints\' own work (near zero without them); the training-thread, other-renderer and wall rows differ by two large, noisy numbers, so only repeated figures mean anything.',
    });
  }
  out.push({
    section: 'storage',
    title: '3a. Storage: checkpoint commit (manager, strict) vs one raw IndexedDB put of the same bytes',
    head: ['backend', 'model', 'size', 'tensors', 'commit ms', 'of which packing', 'raw strict ms', 'raw get+put ms', 'raw relaxed ms', 'commit MB/s', 'raw MB/s', 'commit÷raw', '≥0.8', 'IDB part÷raw', 'in-thread commit ms', 'in-thread÷raw'],
    rows: s.storage.map((r) => r.status === 'ok'
      ? [r.backend, r.model, fmtBytes(r.bytes), String(r.tensorCount), fmt(r.commitMs), fmt(r.encodeMs), fmt(r.rawStrictMs), fmt(r.rawGetPutMs), fmt(r.rawRelaxedMs), fmt(r.commitMBps), fmt(r.rawMBps), r.ratio.toFixed(3), mark(r.meetsTarget), r.idbRatio.toFixed(3), fmt(r.inThreadMs), r.inThreadRatio.toFixed(3)]
      : [r.backend, r.model, r.status, '', '', '', '', '', '', '', '', '', r.note?.slice(0, 40) ?? '', '', '', '']),
    note: 'commit÷raw = throughput of manager.save (packing, then xxHash32 checksums + one transaction: claim the generation, put bytes and header into the pruned checkpoint\'s slot, put manifest; in the writer worker) ÷ one put of the same bytes in the bench worker; '
      + 'IDB part = commit − packing (the copy done synchronously in save). in-thread = the same commit through a manager without a writer worker: the transaction without the hop to the writer and back. Operations run in balanced order with a 20 ms pause after each. raw get+put = a get awaited before two puts, the shape the manager\'s transaction had before it kept the manifest in memory.',
  });
  out.push({
    section: 'restore',
    title: '3b. Restore from page load to the first resumed step (fresh tab, fresh worker; medians, ms)',
    head: ['backend', 'model', 'size', 'page load', 'worker start', 'backend init', 'data', 'fresh objects', 'read', 'verify', 'load', 'first step', 'total', '2nd step'],
    rows: s.restore.map((r) => [r.backend, r.model, fmtBytes(r.bytes), fmt(r.pageLoadMs), fmt(r.workerStartMs), fmt(r.backendInitMs), fmt(r.dataMs), fmt(r.templateMs), fmt(r.readMs), fmt(r.verifyMs), fmt(r.loadMs), fmt(r.firstStepMs), fmt(r.totalMs), fmt(r.secondStepMs)]),
    note: 'worker start = new Worker() until the worker handles its first message (fetch + evaluation of TF.js and the engine). fresh objects = building the model, optimizer and pipeline and snapshotting the template. The first step includes kernel (shader) compilation.',
  });
  out.push({
    section: 'growth',
    title: `4. Growth with parameter count (digits MLP, two equal hidden layers, Adam; ${res.growth?.backend ?? '—'} backend; medians, ms)`,
    head: ['hidden', 'params', 'ckpt size', 'step', 'snapshot', 'pack', '(copy', 'xxh32)', 'commit', 'raw put', 'commit MB/s', 'raw MB/s', 'commit÷raw', 'read', 'verify', 'load', 'restore', 'manager.restore'],
    rows: s.growth.map((g) => [g.hidden.join('x'), fmt(g.params), fmtBytes(g.bytes), fmt(g.stepMs), fmt(g.snapshotMs), fmt(g.encodeMs), fmt(g.copyMs), fmt(g.checksumMs), fmt(g.commitMs), fmt(g.rawPutMs), fmt(g.commitMBps), fmt(g.rawMBps), g.commitOverRaw.toFixed(3),
      fmt(g.readMs), fmt(g.verifyMs), fmt(g.loadMs), fmt(g.restoreMs), fmt(g.managerRestoreMs)]),
    note: 'pack = manager.save\'s synchronous part; commit includes it, the checksums and the transaction; (copy, xxh32) = the two costs of encoding timed apart on the same bytes; raw put = one strict put of the same bytes as one ArrayBuffer. restore = read + verify + load; manager.restore = read + verify through the manager, the cross-check.',
  });
  out.push({
    section: 'longtasks',
    title: '5. Main thread of the playground page: long tasks (> 50 ms) from the click on Run experiment to the verdict',
    head: ['backend', 'runs × steps', 'run s (median)', 'long tasks per run (median)', 'most in a run', 'runs with none', 'longest ms', 'frames without script', 'loss frame / curve commits', 'scripts that ran longest in long frames (total ms)'],
    rows: s.longTasks.map((l) => [l.backend, `${l.reps} × ${l.steps}`, fmt(l.runMsMedian / 1000), fmt(l.countMedian), String(l.countMax), `${l.runsWithNone} of ${l.reps}`,
      l.longestMs > 0 ? fmt(l.longestMs) : '—', String(l.framesWithoutScript), `${fmt(l.lossFrameCommits)} / ${fmt(l.lossLayerCommits)}`,
      l.topScripts.map((t) => `${t.script} ${fmt(t.totalMs)}`).join('; ') || '—']),
    note: 'Each run opens the playground in a fresh tab as a person would, clicks Run experiment and waits for the verdict; PerformanceObservers for long tasks and long animation frames are installed before any page script. '
      + 'A long animation frame names the scripts that ran in it; a frame without scripts spent its time in layout, paint or waiting for a core. Commits come from the page\'s render probe.',
  });
  out.push({
    section: 'ceiling',
    title: '6. Distance to the limit: achieved GFLOP/s of the training step vs one large matmul on the same backend',
    head: ['backend', 'model', 'GFLOP/step', 'achieved GFLOP/s', 'matmul', 'ceiling GFLOP/s', '% of ceiling'],
    rows: s.throughput.filter((t) => t.status === 'ok').map((t) => {
      const c = res.ceilings.find((x) => x.backend === t.backend);
      const flops = res.throughput.find((x) => x.backend === t.backend && x.model === t.model)?.flopsPerStep ?? NaN;
      return [t.backend, t.model, fmt(flops / 1e9), fmt(t.achievedGflops), c ? `${c.result.n}³` : '—', fmt(t.ceilingGflops), t.ceilingGflops ? `${((t.achievedGflops / t.ceilingGflops) * 100).toFixed(1)}%` : '—'];
    }),
    note: `Storage ceiling: raw strict put ${fmt(s.storageCeilingMBps)} MB/s at best (3a and 4); see 3a and 4 for the commit path against it.`,
  });
  return out;
}

/** The whole report as terminal text. */
export function renderText(res: BenchResults, s: Summary): string {
  const parts: string[] = [];
  for (const t of tables(s, res)) {
    parts.push(t.title, textTable(t.head, t.rows));
    if (t.note) parts.push(t.note);
    parts.push('');
  }
  parts.push('Targets:');
  for (const v of s.verdicts) parts.push(`  [${v.met ? 'met ' : 'MISS'}] ${v.target}: ${v.detail}`);
  if (res.problems.length > 0) {
    parts.push('', 'Problems:');
    for (const p of res.problems) parts.push(`  ${p}`);
  }
  return parts.join('\n');
}

/** The whole report as Markdown, with the plots referenced by file name. */
export function renderMarkdown(res: BenchResults, s: Summary, plots: string[]): string {
  const m = res.meta;
  const lines: string[] = [
    `# Resumable bench${m.quick ? ' (quick)' : ''}`,
    '',
    `Run ${m.startedAt}, ${m.wallS.toFixed(0)} s. Machine: ${m.machine.cpus}× ${m.machine.cpuModel}, ${m.machine.memoryGiB} GiB, ${m.machine.os}; Node ${m.machine.node}; ${m.machine.chromium}; TF.js ${m.machine.tfjs}.`,
    `Backends: ${m.backends.map((b) => `${b.backend} (${b.adapter})`).join('; ') || 'none'}${m.unavailable.length ? `; unavailable: ${m.unavailable.map((u) => `${u.backend} (${u.reason})`).join('; ')}` : ''}.`,
    `Every figure is a median of at least 5 timed repetitions after a warm-up (up to ${m.reps}); every ratio compares two things measured in the same run, interleaved. `
      + `Load average ${m.loadAverage.start.toFixed(1)} at the start and ${m.loadAverage.end.toFixed(1)} at the end on ${m.machine.cpus} cores.`,
    '',
  ];
  for (const t of tables(s, res)) {
    lines.push(`## ${t.title}`, '', mdTable(t.head, t.rows), '');
    if (t.note) lines.push(t.note, '');
  }
  lines.push('## Targets', '');
  for (const v of s.verdicts) lines.push(`- ${v.met ? '✅' : '❌'} ${v.target}: ${v.detail}`);
  lines.push('');
  if (plots.length > 0) {
    lines.push('## Plots', '');
    for (const p of plots) lines.push(`![${p}](${p})`, '');
  }
  if (res.problems.length > 0) {
    lines.push('## Problems', '');
    for (const p of res.problems) lines.push(`- ${p}`);
    lines.push('');
  }
  return lines.join('\n');
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

/** The SVG plots: growth (log-log) and checkpoint overhead by interval. */
export function renderPlots(res: BenchResults, s: Summary): Record<string, string> {
  const plots: Record<string, string> = {};
  if (s.growth.length > 0) {
    const pick = (f: (g: GrowthRow) => number): Array<[number, number]> => s.growth.map((g) => [g.params, f(g)]);
    const series: Series[] = [
      { label: 'snapshot', points: pick((g) => g.snapshotMs), color: COLORS[0] },
      { label: 'commit', points: pick((g) => g.commitMs), color: COLORS[1] },
      { label: 'restore', points: pick((g) => g.restoreMs), color: COLORS[2] },
      { label: 'one step', points: pick((g) => g.stepMs), color: '#777', dash: '4 3' },
    ];
    series.push({ label: 'raw put', points: pick((g) => g.rawPutMs), color: COLORS[3], dash: '6 3' });
    plots['growth.svg'] = lineChartSvg(series, {
      title: `Checkpoint cost vs parameters (${res.growth?.backend}, log-log)`, xLabel: 'parameters', yLabel: 'ms (median)', logX: true, logY: true,
    });
  }
  const groups = new Map<string, OverheadRow[]>();
  for (const o of s.overhead.filter((r) => r.every > 0 && r.yieldEveryStep)) {
    const k = `${o.backend} ${o.model}`;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  if (groups.size > 0) {
    plots['overhead.svg'] = lineChartSvg([...groups.entries()].map(([label, rows], i) => ({
      label, points: rows.map((r) => [r.every, r.ratioDrained] as [number, number]), color: COLORS[i % COLORS.length],
    })), { title: 'Steps/s with a checkpoint every k steps ÷ without', xLabel: 'k (steps between checkpoints)', yLabel: 'throughput ratio', logX: true });
  }
  return plots;
}
