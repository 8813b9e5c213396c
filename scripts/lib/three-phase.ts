/**
 * The three-phase check of the resumable-training guide, driven through the
 * real page and worker in real Chromium, with a real crash:
 *
 *   1. Reference: N steps uninterrupted.
 *   2. Crash: same seed, checkpoint every E steps; after step k the whole
 *      Chromium process group is SIGKILLed (no graceful close, nothing flushed).
 *   3. Resume: a new Chromium on the same profile; fresh objects; restore the
 *      latest committed checkpoint from IndexedDB; continue to N.
 *
 * Used by `npm run verify` and by the end-to-end tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { POLL_MS } from '../../src/core/constants';
import type { BackendReport } from '../../src/engine/backend';
import type { RunConfig } from '../../src/core/config';
import type { ExperimentResult, ResumeResult } from '../../src/session/session';
import type { CheckpointInfo } from '../../src/checkpoint';
import { launchChromium, type OwnedBrowser } from './chromium';
import { lineChartSvg } from './plot';

/** What to run. */
export interface ThreePhaseOptions {
  /** Origin serving the built app, e.g. http://127.0.0.1:4173/ */
  url: string;
  /** The run's configuration, its pitfall included (the backend is required, no silent fallback). */
  config: RunConfig;
  /** Kill Chromium after this step. */
  crashAtStep: number;
  /** Restore this checkpoint instead of the newest intact one. */
  resumeStep?: number;
  /** Where to write curves.svg / curves.png (omit for no picture). */
  outDir?: string;
  /** Receives each report line. */
  log?: (line: string) => void;
  /** Draw a progress bar on stderr. */
  progress?: boolean;
}

/** Everything the check measured. */
export interface ThreePhaseReport {
  /** The configuration run. */
  config: RunConfig;
  /** Step after which Chromium was killed. */
  crashAtStep: number;
  /** Backend and adapter that ran. */
  backend: BackendReport | null;
  /** Reference losses. */
  reference: number[];
  /** Losses of the checkpointed run until the crash. */
  crashed: number[];
  /** Committed checkpoints at the moment of the crash. */
  checkpointsAtCrash: CheckpointInfo[];
  /** Per checkpoint written before the crash: time the loop waited for the snapshot, and time to commit. */
  checkpointTimings: Array<{ step: number; bytes: number; snapshotMs: number; commitMs: number }>;
  /** Phase 3's result (null when the resume was refused). */
  resume: ResumeResult | null;
  /** The error that refused the resume, if any. */
  error: { name: string; message: string } | null;
  /** True when both maxima are exactly 0. */
  exact: boolean;
  /** Set when a pitfall was on and the resume still came out bit-exact: why it had no visible effect. */
  pitfallNoEffect: string | null;
  /** Wall-clock time of each part, in ms. */
  timingsMs: Record<string, number>;
}

const ERROR_NAMES = /StructureMismatchError|CheckpointCorruptError|WebGPUUnavailableError|StorageFullError|CheckpointNotFoundError|InvalidInputError/;

/** Scientific notation with a two-digit exponent, as Python prints it (0.0000e+00). */
export function fmtE(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

async function openApp(owned: OwnedBrowser, url: string, backend: RunConfig['backend']): Promise<{ page: Page; report: BackendReport }> {
  const page = await owned.browser.contexts()[0].newPage();
  await page.goto(`${url}?testapi`);
  await page.waitForFunction(() => window.resumable !== undefined, undefined, { timeout: 60_000 });
  const report = await page.evaluate((b) => window.resumable!.init(b, true), backend);
  return { page, report };
}

/** Polls the page's progress and draws a one-line bar on stderr until `done` settles. */
async function withProgress<T>(page: Page, label: string, total: number, on: boolean, done: Promise<T>): Promise<T> {
  if (!on || !process.stderr.isTTY) return done;
  let finished = false;
  const settled = done.then(() => undefined, () => undefined).finally(() => { finished = true; });
  while (!finished) {
    const last = await page.evaluate(() => window.resumable?.lastStep() ?? null).catch(() => null);
    if (last) {
      const bar = '#'.repeat(Math.round(Math.min(1, last.step / total) * 30)).padEnd(30, '.');
      process.stderr.write(`\r  ${label.padEnd(10)} [${bar}] step ${last.step}/${total} loss=${last.loss.toFixed(4)}   `);
    }
    await Promise.race([settled, new Promise((r) => setTimeout(r, POLL_MS * 4))]);
  }
  process.stderr.write(`\r${' '.repeat(90)}\r`);
  return done;
}

/** Runs the three phases; never throws for a refused resume (it is reported). */
export async function runThreePhase(o: ThreePhaseOptions): Promise<ThreePhaseReport> {
  const log = o.log ?? ((l: string) => console.log(l));
  const { config, crashAtStep } = o;
  const { pitfall } = config;
  const rule = '='.repeat(60);
  const timingsMs: Record<string, number> = {};
  const report: ThreePhaseReport = {
    config, crashAtStep, backend: null, reference: [], crashed: [], checkpointsAtCrash: [],
    resume: null, error: null, exact: false, pitfallNoEffect: null, timingsMs, checkpointTimings: [],
  };
  const profile = await mkdtemp(join(tmpdir(), 'resumable-verify-'));
  const runId = `verify-${config.seed}`;
  let owned: OwnedBrowser | null = null;
  try {
    // Phases 1 and 2, in the first browser.
    let t = Date.now();
    owned = await launchChromium(profile);
    const first = await openApp(owned, o.url, config.backend);
    report.backend = first.report;
    log(`Backend: ${first.report.backend} (${first.report.adapter})`);
    log(`Config: ${config.dataset}, ${config.model} ${config.hidden.join('x')} ${config.activation}, ${config.optimizer} lr=${config.lr}, batch ${config.batch}, seed ${config.seed}${pitfall !== 'none' ? `, pitfall ${pitfall}` : ''}`);
    log('');
    log(rule);
    log(`PHASE 1: reference run (${config.steps} steps, no checkpoints)`);
    log(rule);
    const experiment = first.page.evaluate((a) => window.resumable!.call('runExperiment', a), { runId, config, crashAtStep, referenceToEnd: true });
    const result: ExperimentResult = await withProgress(first.page, 'training', config.steps + crashAtStep, o.progress ?? false, experiment);
    timingsMs.phases12 = Date.now() - t;
    report.reference = result.referenceLosses;
    report.crashed = result.checkpointedLosses;
    log(`Reference: ${result.referenceLosses.length} steps, final loss=${result.referenceLosses.at(-1)!.toFixed(4)}`);
    log('');
    log(rule);
    log(`PHASE 2: train, checkpoint every ${config.saveEverySteps}, interrupt at step ${crashAtStep}`);
    log(rule);
    report.checkpointsAtCrash = await first.page.evaluate((id) => window.resumable!.call('listCheckpoints', { runId: id }), runId);
    report.checkpointTimings = await first.page.evaluate(() => window.resumable!.events().flatMap((e) =>
      e.type === 'checkpoint' ? [{ step: e.info.step, bytes: e.info.bytes, snapshotMs: e.snapshotMs, commitMs: e.commitMs }] : []));
    // The crash: SIGKILL to the whole browser process group.
    await owned.sigkill();
    owned = null;
    log(`Crashed: ${result.checkpointedLosses.length} steps, final loss=${result.checkpointedLosses.at(-1)!.toFixed(4)} (Chromium killed with SIGKILL)`);
    log(`Available checkpoints: [${result.checkpoints.map((s) => `'step_${s}'`).join(', ')}]`);
    log('');

    // Phase 3, in a new browser on the same profile.
    t = Date.now();
    owned = await launchChromium(profile);
    const second = await openApp(owned, o.url, config.backend);
    const found = await second.page.evaluate(() => window.resumable!.call('findInterrupted', {}));
    if (!found || found.record.runId !== runId) throw new Error('the interrupted run was not found in IndexedDB after the crash');
    const latest = o.resumeStep ?? found.checkpoints.at(-1)!.step;
    log(rule);
    log(`PHASE 3: restore from step ${latest}, train to step ${config.steps}`);
    log(rule);
    const resumed: ResumeResult = await withProgress(second.page, 'resume', config.steps, o.progress ?? false,
      second.page.evaluate((a) => window.resumable!.call('resume', a), { runId, ...(o.resumeStep !== undefined ? { step: o.resumeStep } : {}) }));
    for (const s of resumed.skipped) log(`Skipped step ${s.step}: ${s.message}`);
    if (resumed.restoredFrom !== latest) log(`Restored from step ${resumed.restoredFrom}, the newest checkpoint that passed its checks.`);
    timingsMs.phase3 = Date.now() - t;
    report.resume = resumed;
    if (resumed.crossBackend) log(`Note: the checkpoint was computed on ${resumed.crossBackend.checkpoint} and resumed on ${resumed.crossBackend.current}; across backends results are not bit-exact by design.`);
    if (resumed.stepsLost > 0) log(`Lost to the crash and redone: ${resumed.stepsLost} steps (${latest + 1}..${latest + resumed.stepsLost})`);
    log(`Resumed: end step=${resumed.resumedLosses.length}, final loss=${resumed.resumedLosses.at(-1)!.toFixed(4)}`);
    log(`Total resumed-curve length: ${resumed.resumedLosses.length} (expected ${config.steps})`);
    log('');
    const v = resumed.verdict!;
    log(`Max |reference - resumed| over ${v.stepsCompared} steps: ${fmtE(v.maxLossDiff)}`);
    log(`Max |reference - resumed| over model params: ${fmtE(v.maxParamDiff)}`);
    report.exact = v.exact;
    if (v.exact && resumed.pitfall?.outcome === 'no-effect') {
      report.pitfallNoEffect = resumed.pitfall.why;
      log(`Bit-identical, but pitfall '${pitfall}' was on: the mistake had no visible effect here, because ${resumed.pitfall.why}`);
    } else if (v.exact) {
      log(`Determinism check passed: losses and parameters are bit-identical after a SIGKILL and restore on ${first.report.backend} (state hash ${v.resumedHash}).`);
    } else {
      log(`Determinism check FAILED: first divergent step ${v.firstDivergentStep ?? '-'}; state hash ${v.referenceHash} (reference) vs ${v.resumedHash} (resumed).`);
      for (const d of v.tensors.slice(0, 8)) log(`  ${d.path.padEnd(24)} [${d.shape.join(',')}]  max|Δ| = ${fmtE(d.maxAbsDiff)}`);
      if (pitfall !== 'none') log(`(pitfall '${pitfall}' was on: this divergence is what it teaches.)`);
    }
    await owned.close();
    owned = null;
    if (o.outDir) await writePicture(o.outDir, report, resumed.restoredFrom);
  } catch (e) {
    const err = e as Error;
    const name = ERROR_NAMES.exec(err.message)?.[0] ?? err.name;
    const message = err.message.replace(/^page\.evaluate: (\w*Error: )?/, '').split('\n')[0];
    report.error = { name, message };
    log(`Resume refused: ${name}: ${message}`);
    if (pitfall !== 'none') log(`(pitfall '${pitfall}' was on: this error is what it teaches.)`);
  } finally {
    if (owned) await owned.sigkill();
    await rm(profile, { recursive: true, force: true });
  }
  return report;
}

async function writePicture(outDir: string, r: ThreePhaseReport, restoreStep: number): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const svg = lineChartSvg([
    { label: 'reference', points: r.reference.map((l, i) => [i + 1, l]), color: '#1f77b4', width: 5 },
    { label: 'crashed run', points: r.crashed.map((l, i) => [i + 1, l]), color: '#777', dash: '2 3' },
    { label: 'resumed', points: (r.resume?.resumedLosses ?? []).map((l, i) => [i + 1, l] as [number, number]).filter(([s]) => s > restoreStep), color: '#ff7f0e', dash: '6 4' },
  ], {
    title: `Reference vs resumed (${r.backend?.backend}, ${r.config.dataset}, ${r.config.optimizer}${r.config.pitfall !== 'none' ? `, pitfall ${r.config.pitfall}` : ''})`,
    xLabel: 'step', yLabel: 'loss', markers: [[restoreStep, `restore @ ${restoreStep}`], [r.crashAtStep, `crash @ ${r.crashAtStep}`]],
  });
  await writeFile(join(outDir, 'curves.svg'), svg);
  const shot = await launchChromium(await mkdtemp(join(tmpdir(), 'resumable-plot-')));
  try {
    const p = await shot.browser.contexts()[0].newPage();
    await p.setViewportSize({ width: 900, height: 480 });
    await p.setContent(`<body style="margin:0">${svg}</body>`);
    await p.locator('svg').screenshot({ path: join(outDir, 'curves.png') });
  } finally {
    await shot.close();
  }
}
