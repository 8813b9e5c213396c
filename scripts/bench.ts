/**
 * `npm run bench`: builds the app, serves it on 127.0.0.1, and measures the
 * app's own engine in a real Web Worker in headless Chromium:
 *
 *   1. training throughput per backend × model, against a plain TF.js loop;
 *   2. checkpoint overhead (every 1, 10, 100 steps vs none) and the time the
 *      loop is blocked per checkpoint;
 *   3. checkpoint size, commit vs raw IndexedDB put, restore from page load;
 *   4. snapshot / commit / restore as the parameter count grows;
 *   5. long tasks on the main thread of the playground page during a run;
 *   6. achieved GFLOP/s against a large matmul on the same backend.
 *
 * Prints a table, writes bench.json (raw figures), bench.md and SVG plots.
 * It only reports: no threshold here fails the run. Exit code 1 means some
 * measurement failed (listed under Problems), 2 that the bench itself did.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { mlpWidthForParams, trainStepFlops } from '../src/bench/flops';
import { BENCH_MODELS, benchConfig, shapeOf, type BenchModelKey } from '../src/bench/models';
import type { OverheadResult, OverheadVariant, RepPlan, RestoreResult } from '../src/bench/protocol';
import { BACKENDS, type BackendName } from '../src/engine/config';
import { BenchPage, ProgressLine, withTimeout } from './lib/bench-driver';
import { playgroundLongTasks } from './lib/bench-longtasks';
import {
  renderMarkdown, renderPlots, renderText, summarize, type BenchResults, type CpuEntry, type Status,
} from './lib/bench-report';
import { buildApp } from './lib/build';
import { launchChromium, type OwnedBrowser } from './lib/chromium';
import { cpuByGroup, readThreads } from './lib/proc-cpu';
import { serveStatic } from './lib/serve';

/**
 * The sections --only can pick: throughput (1), overhead (2, and 2b: CPU per thread), storage (3a:
 * commit vs raw put), restore (3b: from page load), growth (4), longtasks (5),
 * ceiling (6: the matmul GFLOP/s).
 */
const SECTIONS = ['throughput', 'overhead', 'storage', 'restore', 'growth', 'longtasks', 'ceiling'] as const;
type Section = (typeof SECTIONS)[number];

/** Parses --only: every name must be a section, and at least one must be given. */
function parseSections(arg: string | undefined): Set<Section> {
  if (arg === undefined) return new Set(SECTIONS);
  const names = arg.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only: unknown ${unknown.join(', ') || '(none given)'}; choose from ${SECTIONS.join(', ')}`);
  return new Set(names as Section[]);
}

const HELP = `Usage: npm run bench -- [options]
  --quick            a short run (under 3 minutes here): fewer repetitions, backends × models and sizes; every section still runs
  --backends LIST    comma-separated subset of ${BACKENDS.join(',')} (default: all; unavailable ones are reported and skipped)
  --only SECTIONS    comma-separated subset of ${SECTIONS.join(',')} (default: all), e.g. --only storage,overhead,growth
  --out DIR          where bench.json, bench.md and the SVG plots go (default bench-results)
  --no-build         reuse dist/ as it is
  -h, --help         this text`;

/** What one run measures. */
interface Plan {
  quick: boolean;
  reps: number;
  throughput: RepPlan;
  /** Models measured for throughput on a backend. */
  modelsFor(backend: BackendName, available: BackendName[]): BenchModelKey[];
  matmul: { n: number; reps: number; warmup: number };
  /** (backend, model) pairs of the checkpoint-overhead experiment. */
  overhead(available: BackendName[]): Array<{ backend: BackendName; model: BenchModelKey }>;
  overheadPlan: RepPlan;
  overheadVariants: OverheadVariant[];
  /**
   * (backend, model) pairs whose per-thread CPU is read with and without a
   * checkpoint every 10 steps (section 2b, Linux only), each for
   * `cpuPlan.repMs`, alternated `cpuPlan.pairs` times.
   */
  cpu(available: BackendName[]): Array<{ backend: BackendName; model: BenchModelKey }>;
  cpuPlan: { pairs: number; repMs: number };
  storageModels: BenchModelKey[];
  /**
   * Timed repetitions of each storage operation. More than elsewhere: one
   * strict commit is a single fsync-bound operation of a few ms whose time
   * spreads ±30% on this disk, and 41 cost about 10 s per model.
   */
  storageReps: number;
  restore(available: BackendName[]): Array<{ backend: BackendName; model: BenchModelKey }>;
  /** Timed page loads per restore (after one warm-up load). */
  restoreReps(backend: BackendName): number;
  growthTargets: number[];
  growthReps: number;
  /** Runs of the playground page per backend in section 5. */
  longTaskReps: number;
}

/**
 * The app's loop (a macrotask yield after each step) with a checkpoint every
 * 1, 10, 100 steps vs never; then never and every 10 without the yield, the
 * loop as it was before the engine yielded.
 */
const OVERHEAD_VARIANTS: OverheadVariant[] = [
  ...[0, 1, 10, 100].map((every) => ({ every, yieldEveryStep: true })),
  ...[0, 10].map((every) => ({ every, yieldEveryStep: false })),
];

const firstOf = (prefs: BackendName[], available: BackendName[]): BackendName | undefined => prefs.find((b) => available.includes(b));

/**
 * Section 2b measures the fast backend and model, where a checkpoint every 10
 * steps is most frequent in time (every ~15 ms). With the digits MLP, 3 s hold
 * only ~20 checkpoints, and the training thread's own variation swamps their cost.
 */
const cpuPairs = (av: BackendName[]): Array<{ backend: BackendName; model: BenchModelKey }> => {
  const b = firstOf(['wasm', 'cpu'], av);
  return b ? [{ backend: b, model: 'spirals-mlp' }] : [];
};

function makePlan(quick: boolean): Plan {
  if (quick) {
    return {
      quick, reps: 5,
      throughput: { reps: 5, slowReps: 5, warmupSteps: 2, targetRepMs: 250, minSteps: 2, maxSteps: 200 },
      modelsFor: (b, av) => BENCH_MODELS.filter((m) => m === 'spirals-mlp'
        || (m === 'digits-mlp' && b === firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], av))
        || (m === 'digits-cnn' && b === firstOf(['webgl', 'cpu', 'webgpu'], av))),
      matmul: { n: 512, reps: 5, warmup: 1 },
      overhead: (av) => {
        const b = firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], av);
        return b ? [{ backend: b, model: 'spirals-mlp' }] : [];
      },
      overheadPlan: { reps: 5, slowReps: 5, warmupSteps: 3, targetRepMs: 500, minSteps: 100, maxSteps: 1000 }, overheadVariants: OVERHEAD_VARIANTS,
      cpu: cpuPairs,
      cpuPlan: { pairs: 1, repMs: 1500 },
      storageModels: [...BENCH_MODELS], storageReps: 21,
      restore: (av) => {
        const b = firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], av);
        return b ? [{ backend: b, model: 'spirals-mlp' }] : [];
      },
      restoreReps: () => 5,
      growthTargets: [1e4, 1e5, 1e6], growthReps: 5,
      longTaskReps: 2,
    };
  }
  return {
    quick, reps: 11,
    // Fast combinations get 11 repetitions of ~0.5 s a side; slow ones (webgpu CNN: ~2 s a step) the minimum of 5.
    throughput: { reps: 11, slowReps: 5, warmupSteps: 2, targetRepMs: 500, minSteps: 2, maxSteps: 1000 },
    modelsFor: () => [...BENCH_MODELS],
    matmul: { n: 1024, reps: 5, warmup: 1 },
    // One backend whose step settles as a task (webgpu; webgl behaves alike) and one whose step settles as a microtask (wasm; cpu alike).
    overhead: (av) => {
      const pairs = av.filter((b) => b === 'webgpu' || b === 'wasm').map((backend) => ({ backend, model: 'spirals-mlp' as BenchModelKey }));
      const fast = firstOf(['wasm', 'cpu'], av);
      return fast ? [...pairs, { backend: fast, model: 'digits-mlp' }] : pairs;
    },
    // 11 repetitions where a repetition is short (wasm, cpu): one every-10 ratio spreads ±30% between repetitions on these cores.
    overheadPlan: { reps: 11, slowReps: 5, warmupSteps: 3, targetRepMs: 1000, minSteps: 100, maxSteps: 1000 }, overheadVariants: OVERHEAD_VARIANTS,
    cpu: cpuPairs,
    cpuPlan: { pairs: 3, repMs: 3000 },
    storageModels: [...BENCH_MODELS], storageReps: 41,
    restore: (av) => {
      const pairs = av.map((backend) => ({ backend, model: 'spirals-mlp' as BenchModelKey }));
      const fast = firstOf(['wasm', 'cpu'], av);
      return fast ? [...pairs, { backend: fast, model: 'digits-mlp' }] : pairs;
    },
    // A WebGPU restore compiles its shaders again (~9 s here): 5 loads; the others take about a second: 7.
    restoreReps: (b) => (b === 'webgpu' ? 5 : 7),
    growthTargets: [1e4, 1e5, 1e6, 1e7], growthReps: 5,
    longTaskReps: 5,
  };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/^page\.evaluate: /, '').split('\n')[0];
/** TF.js reports a kernel its backend lacks like this; the bench records the combination as unsupported, not failed. */
const isUnsupported = (msg: string): boolean => /not registered for backend/.test(msg);

interface Ctx {
  browser: Browser;
  url: string;
  progress: ProgressLine;
  res: BenchResults;
  plan: Plan;
  /** Sections to run (--only). */
  only: Set<Section>;
  /** The Chromium browser process, root of the processes whose threads section 2b reads. */
  chromiumPid: number;
}

/** Runs `f`, recording a failure under problems (or as unsupported) instead of stopping the bench. */
async function attempt<T>(ctx: Ctx, label: string, f: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; status: Status; note: string }> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    const note = errorText(e);
    const status: Status = isUnsupported(note) ? 'unsupported' : 'error';
    if (status === 'error') ctx.res.problems.push(`${label}: ${note}`);
    ctx.progress.log(`  ${label}: ${status === 'unsupported' ? 'unsupported' : 'FAILED'}: ${note.slice(0, 160)}`);
    return { ok: false, status, note };
  }
}

/**
 * Section 2b: the loop with a checkpoint every 10 steps and without, one
 * long repetition each, alternated, reading every Chromium thread's CPU time
 * before and after each. Null where /proc cannot be read.
 */
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

/** Sections 1, 2 and 6 for one backend, plus the checkpoint its restore pages will read. Returns false if the backend did not start. */
async function backendPass(ctx: Ctx, backend: BackendName, available: BackendName[], restoreModels: BenchModelKey[]): Promise<boolean> {
  const { progress, res, plan } = ctx;
  const page = await BenchPage.open(ctx.browser, ctx.url, progress);
  try {
    progress.setSection(`starting ${backend}`);
    try {
      const init = await page.start(backend);
      res.meta.backends.push({ backend, adapter: init.report.adapter, initMs: init.initMs });
      progress.log(`${backend}: ${init.report.adapter} (init ${init.initMs.toFixed(0)} ms)`);
    } catch (e) {
      res.meta.unavailable.push({ backend, reason: errorText(e) });
      progress.log(`${backend}: unavailable: ${errorText(e)}`);
      return false;
    }
    const timeout = plan.quick ? 120_000 : 400_000;
    for (const model of ctx.only.has('throughput') ? plan.modelsFor(backend, available) : []) {
      progress.setSection(`1 throughput ${backend} ${model}`);
      const config = benchConfig(model, backend);
      const flopsPerStep = trainStepFlops(shapeOf(config), config.batch);
      const r = await attempt(ctx, `throughput ${backend} ${model}`, () => page.call('throughput', { config, plan: plan.throughput }, timeout));
      res.throughput.push(r.ok ? { backend, model, status: 'ok', flopsPerStep, result: r.value } : { backend, model, status: r.status, note: r.note, flopsPerStep });
    }
    if (ctx.only.has('ceiling')) {
      progress.setSection(`6 matmul ceiling ${backend}`);
      const mm = await attempt(ctx, `matmul ${backend}`, () => page.call('matmul', plan.matmul, timeout));
      if (mm.ok) res.ceilings.push({ backend, result: mm.value });
    }
    for (const { model } of ctx.only.has('overhead') ? plan.overhead(available).filter((o) => o.backend === backend) : []) {
      progress.setSection(`2 checkpoint overhead ${backend} ${model}`);
      const config = benchConfig(model, backend);
      const r = await attempt(ctx, `overhead ${backend} ${model}`, () => page.call('overhead', {
        config, variants: plan.overheadVariants, plan: plan.overheadPlan,
      }, timeout * 2));
      if (r.ok) res.overhead.push({ backend, model, result: r.value });
    }
    for (const { model } of ctx.only.has('overhead') ? plan.cpu(available).filter((o) => o.backend === backend) : []) {
      progress.setSection(`2b CPU per thread ${backend} ${model}`);
      const r = await attempt(ctx, `cpu ${backend} ${model}`, () => cpuPass(ctx, page, backend, model));
      if (r.ok && r.value) res.cpu!.push(r.value);
      else if (r.ok) progress.log('  2b CPU per thread: skipped, this system has no /proc to read it from');
    }
    for (const model of restoreModels) {
      progress.setSection(`3 preparing a checkpoint to restore ${backend} ${model}`);
      await attempt(ctx, `prepare restore ${backend} ${model}`, () => page.call('prepareRestore', { config: benchConfig(model, backend), runId: restoreRunId(backend, model), steps: 5 }, timeout));
    }
    return true;
  } finally {
    await page.close();
  }
}

const restoreRunId = (backend: BackendName, model: BenchModelKey) => `restore-${backend}-${model}`;

/** Section 3b: fresh tabs that restore at load; the first load is a warm-up. */
async function restorePass(ctx: Ctx, backend: BackendName, model: BenchModelKey): Promise<void> {
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
      // One failed load is reported and skipped; two in a row end this series.
      if (++failures >= 2) break;
      continue;
    }
    failures = 0;
    if (r >= 0) results.push(out.value);
  }
  if (results.length > 0) ctx.res.restore.push({ backend, model, results });
}

/** Section 3a and 4 on one backend. */
async function storageAndGrowth(ctx: Ctx, storageBackend: BackendName | undefined, growthBackend: BackendName | undefined): Promise<void> {
  const { progress, res, plan } = ctx;
  if (storageBackend) {
    const page = await BenchPage.open(ctx.browser, ctx.url, progress);
    try {
      await page.start(storageBackend);
      for (const model of plan.storageModels) {
        progress.setSection(`3 storage ${storageBackend} ${model}`);
        const r = await attempt(ctx, `storage ${model}`, () => page.call('storage', { config: benchConfig(model, storageBackend), reps: plan.storageReps }, 300_000));
        res.storage.push(r.ok ? { backend: storageBackend, model, status: 'ok', result: r.value } : { backend: storageBackend, model, status: r.status, note: r.note });
      }
    } finally {
      await page.close();
    }
  }
  if (growthBackend) {
    const page = await BenchPage.open(ctx.browser, ctx.url, progress);
    res.growth = { backend: growthBackend, points: [] };
    try {
      await page.start(growthBackend);
      for (const target of plan.growthTargets) {
        const layers = 2;
        const width = mlpWidthForParams(target, layers, [28, 28, 1], 10);
        // Widths above the app's limit of 1024 are fine here: the bench builds the Trainer directly.
        const config = benchConfig('digits-mlp', growthBackend, { hidden: Array(layers).fill(width), activation: 'relu', maxToKeep: 1 });
        progress.setSection(`4 growth ${growthBackend} ~${target.toExponential(0)} params (hidden ${width}x${width})`);
        const r = await attempt(ctx, `growth ${target.toExponential(0)}`, () => page.call('growth', { config, reps: plan.growthReps }, 600_000));
        if (!r.ok) break;
        res.growth.points.push(r.value);
      }
    } finally {
      await page.close();
    }
  }
}

async function machine(browser: Browser): Promise<BenchResults['meta']['machine']> {
  const tfjs = JSON.parse(await readFile(resolve('node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string };
  const c = cpus();
  return {
    cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${release()}`,
    node: process.version, chromium: `Chromium ${browser.version()}`, tfjs: tfjs.version,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' }, backends: { type: 'string' }, only: { type: 'string' }, out: { type: 'string' }, 'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const requested = (values.backends ?? BACKENDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean) as BackendName[];
  const unknown = requested.filter((b) => !BACKENDS.includes(b));
  if (unknown.length > 0 || requested.length === 0) throw new Error(`--backends: unknown ${unknown.join(', ') || '(none given)'}; choose from ${BACKENDS.join(', ')}`);
  const only = parseSections(values.only);
  const outDir = resolve(values.out ?? 'bench-results');
  const plan = makePlan(values.quick ?? false);
  const progress = new ProgressLine();
  const started = Date.now();

  if (!values['no-build']) {
    progress.setSection('building the app');
    await buildApp();
  }
  const server = await serveStatic(resolve('dist'));
  const profile = await mkdtemp(join(tmpdir(), 'resumable-bench-'));
  let owned: OwnedBrowser | null = null;
  try {
    progress.setSection('launching Chromium');
    owned = await launchChromium(profile);
    const res: BenchResults = {
      meta: {
        startedAt: new Date(started).toISOString(), wallS: 0, quick: plan.quick, sections: [...only], backendsRequested: requested, backends: [], unavailable: [],
        reps: plan.reps, machine: await machine(owned.browser), loadAverage: { start: loadavg()[0], end: NaN },
      },
      throughput: [], ceilings: [], overhead: [], cpu: [], storage: [], restore: [], growth: null, longTasks: [], problems: [],
    };
    const ctx: Ctx = { browser: owned.browser, url: server.url, progress, res, plan, only, chromiumPid: owned.proc.pid! };

    // Which backends start is only known by starting them; plan restores optimistically and drop the missing ones.
    // Each backend is started even when none of its sections run: storage and growth pick among those that started.
    const available: BackendName[] = [...requested];
    const restores = only.has('restore') ? plan.restore(requested) : [];
    for (const backend of requested) {
      const ok = await backendPass(ctx, backend, available, restores.filter((r) => r.backend === backend).map((r) => r.model));
      if (!ok) available.splice(available.indexOf(backend), 1);
    }
    for (const { backend, model } of plan.restore(available)) {
      if (restores.some((r) => r.backend === backend && r.model === model)) await restorePass(ctx, backend, model);
    }
    const storageBackend = firstOf(['cpu', 'wasm', 'webgl', 'webgpu'], available);
    const growthBackend = firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], available);
    await storageAndGrowth(ctx, only.has('storage') ? storageBackend : undefined, only.has('growth') ? growthBackend : undefined);
    // Section 5 runs on the playground page itself, a wasm run and a WebGPU run, as a person starts them.
    for (const backend of only.has('longtasks') ? (['wasm', 'webgpu'] as const).filter((b) => available.includes(b)) : []) {
      const lt = await attempt(ctx, `long tasks ${backend}`, () => playgroundLongTasks(ctx.browser, ctx.url, backend, plan.longTaskReps, progress));
      if (lt.ok) res.longTasks.push(lt.value);
    }
    res.meta.wallS = (Date.now() - started) / 1000;
    res.meta.loadAverage.end = loadavg()[0];
    const summary = summarize(res);
    res.summary = summary;
    progress.setSection('writing the report');
    await mkdir(outDir, { recursive: true });
    const plots = renderPlots(res, summary);
    for (const [name, svg] of Object.entries(plots)) await writeFile(join(outDir, name), svg);
    await writeFile(join(outDir, 'bench.json'), JSON.stringify(res, null, 1));
    await writeFile(join(outDir, 'bench.md'), renderMarkdown(res, summary, Object.keys(plots)));
    progress.clear();
    console.log(renderText(res, summary));
    console.log(`\nWrote ${join(outDir, 'bench.json')}, ${join(outDir, 'bench.md')}${Object.keys(plots).map((p) => `, ${join(outDir, p)}`).join('')} (${res.meta.wallS.toFixed(0)} s).`);
    return res.problems.length > 0 ? 1 : 0;
  } finally {
    progress.clear();
    if (owned) await owned.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`bench: ${e instanceof Error ? (process.env.BENCH_DEBUG ? e.stack : e.message) : String(e)}`);
  process.exit(2);
});
