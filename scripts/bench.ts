/**
 * `npm run bench`: builds the app, serves it on 127.0.0.1, and measures the
 * app's own engine in a real Web Worker in headless Chromium:
 *
 *   1. training throughput per backend × model, against a plain TF.js loop;
 *   2. checkpoint overhead (every 1, 10, 100 steps vs none) and the time the
 *      loop is blocked per checkpoint; 2b. CPU time per thread;
 *   3. checkpoint size, commit vs raw IndexedDB put, restore from page load;
 *   4. snapshot / commit / restore as the parameter count grows;
 *   5. long tasks on the main thread of the playground page during a run;
 *   6. achieved GFLOP/s against a large matmul on the same backend.
 *
 * Each section is a module of scripts/bench/sections/ (driver, rows, table,
 * verdicts) over a measurement of src/harness/bench/measure/; this file
 * parses the flags, runs the sections in plan order and writes the report.
 * Prints a table, writes bench.json (raw figures), bench.md and SVG plots.
 * It only reports: no threshold here fails the run. Exit code 1 means some
 * measurement failed (listed under Problems), 2 that the bench itself did.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { BACKENDS, type BackendName } from '../src/core/config';
import type { BenchModelKey } from '../src/harness/bench/models';
import { errorText, type Ctx } from './bench/context';
import { BenchPage, ProgressLine } from './bench/driver';
import { firstOf, makePlan, parseSections, SECTIONS } from './bench/plan';
import { renderMarkdown, renderPlots, renderText, summarize } from './bench/report';
import type { BenchResults } from './bench/results';
import { runCeiling } from './bench/sections/ceiling';
import { runCpu } from './bench/sections/cpu';
import { runGrowth } from './bench/sections/growth';
import { runLongTasks } from './bench/sections/longtasks';
import { runOverhead } from './bench/sections/overhead';
import { runPrepareRestore, runRestore } from './bench/sections/restore';
import { runStorage } from './bench/sections/storage';
import { runThroughput } from './bench/sections/throughput';
import { buildApp } from './lib/build';
import { launchChromium, type OwnedBrowser } from './lib/chromium';
import { serveApp } from './lib/preview';

const HELP = `Usage: npm run bench -- [options]
  --quick            a short run (under 3 minutes here): fewer repetitions, backends × models and sizes; every section still runs
  --backends LIST    comma-separated subset of ${BACKENDS.join(',')} (default: all; unavailable ones are reported and skipped)
  --only SECTIONS    comma-separated subset of ${SECTIONS.join(',')} (default: all), e.g. --only storage,overhead,growth
  --out DIR          where bench.json, bench.md and the SVG plots go (default bench-results)
  --no-build         reuse dist/ as it is
  -h, --help         this text`;

/**
 * Sections 1, 6, 2 and 2b on one backend's page, then the checkpoints its
 * restore pages will read. Returns false if the backend did not start.
 */
async function backendPass(ctx: Ctx, backend: BackendName, available: BackendName[], restoreModels: BenchModelKey[]): Promise<boolean> {
  const { progress, res, plan, only } = ctx;
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
    if (only.has('throughput')) await runThroughput(ctx, page, backend, available);
    if (only.has('ceiling')) await runCeiling(ctx, page, backend);
    if (only.has('overhead')) {
      for (const { model } of plan.overhead(available).filter((o) => o.backend === backend)) await runOverhead(ctx, page, backend, model);
      for (const { model } of plan.cpu(available).filter((o) => o.backend === backend)) await runCpu(ctx, page, backend, model);
    }
    for (const model of restoreModels) await runPrepareRestore(ctx, page, backend, model);
    return true;
  } finally {
    await page.close();
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

/** Runs every section the flags ask for, in plan order, into ctx.res. */
async function runSections(ctx: Ctx, requested: BackendName[]): Promise<void> {
  const { plan, only } = ctx;
  // Which backends start is only known by starting them; plan restores optimistically and drop the missing ones.
  // Each backend is started even when none of its sections run: storage and growth pick among those that started.
  const available: BackendName[] = [...requested];
  const restores = only.has('restore') ? plan.restore(requested) : [];
  for (const backend of requested) {
    const ok = await backendPass(ctx, backend, available, restores.filter((r) => r.backend === backend).map((r) => r.model));
    if (!ok) available.splice(available.indexOf(backend), 1);
  }
  for (const { backend, model } of plan.restore(available)) {
    if (restores.some((r) => r.backend === backend && r.model === model)) await runRestore(ctx, backend, model);
  }
  const storageBackend = firstOf(['cpu', 'wasm', 'webgl', 'webgpu'], available);
  if (only.has('storage') && storageBackend) await runStorage(ctx, storageBackend);
  const growthBackend = firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], available);
  if (only.has('growth') && growthBackend) await runGrowth(ctx, growthBackend);
  // Section 5 runs on the playground page itself, as a person starts a run.
  if (only.has('longtasks')) await runLongTasks(ctx, available);
}

/** Writes bench.json, bench.md and the plots, and prints the report. */
async function writeReport(res: BenchResults, outDir: string, progress: ProgressLine): Promise<void> {
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
  const server = await serveApp();
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
    await runSections({ browser: owned.browser, url: server.url, progress, res, plan, only, chromiumPid: owned.proc.pid! }, requested);
    res.meta.wallS = (Date.now() - started) / 1000;
    res.meta.loadAverage.end = loadavg()[0];
    await writeReport(res, outDir, progress);
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
