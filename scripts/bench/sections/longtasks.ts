/**
 * Bench section 5: long tasks (> 50 ms) and long animation frames on the
 * main thread of the real playground page while a person's run streams:
 * the page is opened as a person opens it, Run experiment is clicked, and
 * the observers, installed before any page script, record until the verdict
 * is on screen. Long tasks depend on how busy the machine is, which is why
 * they are measured here, over several runs, and not asserted in a test.
 */
import type { Browser } from '@playwright/test';
import type { BackendName } from '../../../src/core/config';
import { median } from '../../../src/harness/bench/stats';
import type { RenderCounts } from '../../../src/ui/renderProbe';
import { attempt, type Ctx } from '../context';
import { withTimeout, type ProgressLine } from '../driver';
import { fmt, type ReportTable, type Verdict } from '../format';
import type { Summary } from '../results';

/** One script that ran in a long animation frame. */
export interface FrameScript {
  /** What called it (e.g. 'FrameRequestCallback', 'Window.requestAnimationFrame', 'MessagePort.onmessage'). */
  invoker: string;
  /** File and function, as far as the browser names them. */
  source: string;
  /** Time it ran, in ms. */
  durationMs: number;
}

/** One long animation frame. */
export interface LongFrame {
  /** Start, in page time (ms). */
  startMs: number;
  /** Duration, in ms. */
  durationMs: number;
  /** Time in it that blocked input, in ms. */
  blockingMs: number;
  /** Scripts that ran in it. */
  scripts: FrameScript[];
}

/** One run of the playground, seen from its main thread. */
export interface LongTaskRun {
  /** Click to verdict, in ms. */
  runMs: number;
  /** Long tasks (> 50 ms) during the run, their durations in ms. */
  longTasksMs: number[];
  /** Long animation frames (> 50 ms) during the run. */
  frames: LongFrame[];
  /** Long tasks while the page loaded and the engine started (not part of the run). */
  atLoad: number;
  /** React commits per part of the page during the run (src/ui/renderProbe.ts). */
  renders: RenderCounts;
}

/** Section 5 for one backend: the same run repeated in fresh tabs. */
export interface LongTaskEntry {
  /** Backend the run trained on. */
  backend: BackendName;
  /** Query string of the playground URL (the run's configuration). */
  query: string;
  /** Steps per run (reference + checkpointed). */
  steps: number;
  /** One entry per repetition. */
  runs: LongTaskRun[];
}

/**
 * The runs section 5 times: a fast wasm run (hundreds of step events and a
 * dozen checkpoints a second stream to the page) and the default WebGPU run
 * (on machines without a GPU, SwiftShader's threads compete with the page
 * for the cores).
 */
export const LONG_TASK_RUNS: Record<'wasm' | 'webgpu', { query: string; steps: number }> = {
  wasm: { query: 'dataset=gaussians&steps=400&saveEverySteps=20&maxToKeep=3&backend=wasm&speed=max', steps: 800 },
  webgpu: { query: 'backend=webgpu&speed=max', steps: 120 },
};

/** One repetition in a fresh tab: open, wait for the engine, click Run experiment, record until the verdict. */
async function oneRun(browser: Browser, url: string, backend: BackendName, query: string): Promise<LongTaskRun> {
  const page = await browser.contexts()[0].newPage();
  try {
    await page.addInitScript(() => {
      const w = window as unknown as { __lt: Array<{ startMs: number; durationMs: number }>; __laf: unknown[] };
      w.__lt = [];
      w.__laf = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__lt.push({ startMs: e.startTime, durationMs: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      if (!PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) return;
      type Script = { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as Array<PerformanceEntry & { blockingDuration: number; scripts: Script[] }>) {
          w.__laf.push({
            startMs: e.startTime, durationMs: e.duration, blockingMs: e.blockingDuration,
            scripts: e.scripts.map((s) => ({ invoker: s.invoker, source: `${s.sourceURL.split('/').pop() ?? ''}:${s.sourceFunctionName || '?'}`, durationMs: s.duration })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    });
    await page.goto(`${url}?${query}`, { timeout: 30_000 });
    await page.waitForFunction((b) => document.querySelector('[data-testid="backend-name"]')?.textContent === b, backend, { timeout: 120_000, polling: 100 });
    // Let the page settle after the engine started; what happened so far is load, not the run.
    await page.waitForTimeout(500);
    const t0 = await page.evaluate(() => {
      window.resumableRenders?.reset();
      return performance.now();
    });
    await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
    // Cheap CSS polls: role and text queries would run on the main thread being measured.
    await withTimeout(page.waitForFunction(() => document.querySelector('.verdict .status') !== null, undefined, { polling: 500, timeout: 0 }), 600_000, `the ${backend} run`);
    // Let the observers deliver the last entries.
    await page.waitForTimeout(200);
    return await page.evaluate((start) => {
      const w = window as unknown as { __lt: Array<{ startMs: number; durationMs: number }>; __laf: LongFrame[] };
      const end = performance.now();
      return {
        runMs: end - start,
        longTasksMs: w.__lt.filter((t) => t.startMs >= start).map((t) => t.durationMs),
        frames: w.__laf.filter((f) => f.startMs >= start),
        atLoad: w.__lt.filter((t) => t.startMs < start).length,
        renders: window.resumableRenders?.read() ?? { commits: {}, eventBatches: 0, stepEvents: 0, publishes: 0 },
      };
    }, t0);
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** Section 5 on the backends it runs on (wasm, webgpu) that started, a person's run on each. */
export async function runLongTasks(ctx: Ctx, available: BackendName[]): Promise<void> {
  for (const backend of (['wasm', 'webgpu'] as const).filter((b) => available.includes(b))) {
    const lt = await attempt(ctx, `long tasks ${backend}`, () => playgroundLongTasks(ctx.browser, ctx.url, backend, ctx.plan.longTaskReps, ctx.progress));
    if (lt.ok) ctx.res.longTasks.push(lt.value);
  }
}

/** Section 5 on one backend: `reps` runs, each in a fresh tab. */
export async function playgroundLongTasks(browser: Browser, url: string, backend: 'wasm' | 'webgpu', reps: number, progress: ProgressLine): Promise<LongTaskEntry> {
  const { query, steps } = LONG_TASK_RUNS[backend];
  const runs: LongTaskRun[] = [];
  for (let r = 0; r < reps; r++) {
    progress.setSection(`5 long tasks on the playground: ${backend}, run ${r + 1}/${reps}`);
    runs.push(await oneRun(browser, url, backend, query));
  }
  return { backend, query, steps, runs };
}

/** Section 5's row for one backend. */
export interface LongTaskRow {
  backend: BackendName;
  reps: number;
  steps: number;
  runMsMedian: number;
  /** Median and largest count of long tasks per run. */
  countMedian: number;
  countMax: number;
  /** Runs without a long task. */
  runsWithNone: number;
  /** Longest long task over all runs, in ms (0 when none). */
  longestMs: number;
  /** The scripts that ran longest in long animation frames, over all runs: 'invoker (source)' and total ms. */
  topScripts: Array<{ script: string; totalMs: number }>;
  /** Long animation frames in which no script ran (time spent in layout, paint, or waiting for a core). */
  framesWithoutScript: number;
  /** Median React commits of the loss chart's frame and curves per run. */
  lossFrameCommits: number;
  lossLayerCommits: number;
}

/** Derives the row of one backend's runs. */
export function longTaskRow(e: LongTaskEntry): LongTaskRow {
  const counts = e.runs.map((r) => r.longTasksMs.length);
  const byScript = new Map<string, number>();
  let framesWithoutScript = 0;
  for (const f of e.runs.flatMap((r) => r.frames)) {
    if (f.scripts.length === 0) framesWithoutScript++;
    for (const s of f.scripts) {
      const key = `${s.invoker} (${s.source})`;
      byScript.set(key, (byScript.get(key) ?? 0) + s.durationMs);
    }
  }
  const topScripts = [...byScript.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([script, totalMs]) => ({ script, totalMs }));
  const commitsOf = (part: string) => median(e.runs.map((r) => r.renders.commits[part] ?? 0));
  return {
    backend: e.backend, reps: e.runs.length, steps: e.steps, runMsMedian: median(e.runs.map((r) => r.runMs)),
    countMedian: median(counts), countMax: Math.max(...counts), runsWithNone: counts.filter((c) => c === 0).length,
    longestMs: Math.max(0, ...e.runs.flatMap((r) => r.longTasksMs)), topScripts, framesWithoutScript,
    lossFrameCommits: commitsOf('loss-frame'), lossLayerCommits: commitsOf('loss-layer'),
  };
}

/** One verdict per backend: no long task in any run. */
export function longTaskVerdicts(rows: LongTaskRow[]): Verdict[] {
  return rows.map((l) => ({
    target: `no long task during a run (${l.backend}, playground page)`, met: l.countMax === 0,
    detail: `${l.runsWithNone} of ${l.reps} runs had none; per run median ${fmt(l.countMedian)}, most ${l.countMax}; longest ${fmt(l.longestMs)} ms`,
  }));
}

/** Section 5's table. */
export function longTaskTable(s: Summary): ReportTable {
  return {
    section: 'longtasks',
    title: '5. Main thread of the playground page: long tasks (> 50 ms) from the click on Run experiment to the verdict',
    head: ['backend', 'runs × steps', 'run s (median)', 'long tasks per run (median)', 'most in a run', 'runs with none', 'longest ms', 'frames without script', 'loss frame / curve commits', 'scripts that ran longest in long frames (total ms)'],
    rows: s.longTasks.map((l) => [l.backend, `${l.reps} × ${l.steps}`, fmt(l.runMsMedian / 1000), fmt(l.countMedian), String(l.countMax), `${l.runsWithNone} of ${l.reps}`,
      l.longestMs > 0 ? fmt(l.longestMs) : '—', String(l.framesWithoutScript), `${fmt(l.lossFrameCommits)} / ${fmt(l.lossLayerCommits)}`,
      l.topScripts.map((t) => `${t.script} ${fmt(t.totalMs)}`).join('; ') || '—']),
    note: 'Each run opens the playground in a fresh tab as a person would, clicks Run experiment and waits for the verdict; PerformanceObservers for long tasks and long animation frames are installed before any page script. '
      + 'A long animation frame names the scripts that ran in it; a frame without scripts spent its time in layout, paint or waiting for a core. Commits come from the page\'s render probe.',
  };
}
