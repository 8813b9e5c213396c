/**
 * Shared helpers for the playground specs (e2e/ui-*.spec.ts): the long-task
 * observer, screenshots that also land in docs/screenshots/, the crash/reload
 * wait, and readers for the numbers the page shows.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, type TestInfo } from '@playwright/test';

declare global {
  interface Window {
    /** Durations (ms) of main-thread long tasks since the page loaded or the last reset. */
    __longTasks?: number[];
    /** What ran in each long animation frame (> 50 ms) since the page loaded or the last reset, one line each. */
    __longFrames?: string[];
  }
}

const DOCS_SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

/**
 * Installs a PerformanceObserver('longtask') in every page the test opens
 * (before any script runs), and one for long animation frames where the
 * browser has them: a long task says only how long, a frame entry says
 * which scripts ran (invoker, source, ms), so a failure can name its cause.
 */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    if (!PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) return;
    type Script = { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { blockingDuration: number; scripts: Script[] }>) {
        const scripts = e.scripts.map((s) => `${s.invoker} (${s.sourceURL.split('/').pop()}:${s.sourceFunctionName || '?'}) ${Math.round(s.duration)} ms`);
        window.__longFrames!.push(`frame at ${Math.round(e.startTime)} ms: ${Math.round(e.duration)} ms, blocking ${Math.round(e.blockingDuration)} ms; scripts: ${scripts.join('; ') || 'none'}`);
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
}

/** What the observers have collected under `key` so far (and forgets it when `reset`). */
function take<K extends '__longTasks' | '__longFrames'>(page: Page, key: K, reset: boolean): Promise<NonNullable<Window[K]>> {
  return page.evaluate(([key, reset]) => {
    const lists = window as unknown as Record<string, unknown[] | undefined>;
    const got = (lists[key] ?? []).slice();
    if (reset) lists[key] = [];
    return got;
  }, [key, reset] as const) as Promise<NonNullable<Window[K]>>;
}

/** The long animation frames seen so far, one line each (and forgets them when `reset`). */
export function takeLongFrames(page: Page, reset = true): Promise<string[]> {
  return take(page, '__longFrames', reset);
}

/** Long-task durations seen so far (and forgets them when `reset`). */
export function takeLongTasks(page: Page, reset = true): Promise<number[]> {
  return take(page, '__longTasks', reset);
}

/** Records a long-task count as an annotation and an attachment, with the long animation frames of the same span when there were long tasks. */
export async function reportLongTasks(info: TestInfo, label: string, durations: number[], frames: string[] = []): Promise<void> {
  const text = `${durations.length} long task(s)${durations.length ? `: ${durations.map((d) => `${Math.round(d)} ms`).join(', ')}` : ''}`;
  info.annotations.push({ type: `long tasks (${label})`, description: text });
  console.log(`[${info.title}] long tasks during ${label}: ${text}`);
  if (durations.length > 0) for (const f of frames) console.log(`    long animation ${f}`);
  await info.attach(`long-tasks-${label}`, { body: JSON.stringify({ label, count: durations.length, durationsMs: durations, longFrames: frames }), contentType: 'application/json' });
}

/** A viewport screenshot (optionally scrolled to a region first) attached to the test and copied to docs/screenshots/<name>. */
export async function shoot(page: Page, info: TestInfo, name: string, options: { scrollTo?: string } = {}): Promise<void> {
  const path = info.outputPath(name);
  if (options.scrollTo) {
    await page.getByRole('region', { name: options.scrollTo }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  } else {
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  copyFileSync(path, join(DOCS_SCREENSHOTS, name));
}

/** Runs `action` (which makes the page crash and reload itself) and waits for the reloaded page. */
export async function crashAndWaitForReload(page: Page, action: () => Promise<unknown>, timeout = 120_000): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout }), action()]);
  await expect(page.getByRole('heading', { name: /Interrupted run found|Nothing to resume/ })).toBeVisible({ timeout: 60_000 });
}

/** Waits until the progressbar says phase 2 and a checkpoint of the run has committed. */
export async function waitForPhase2Checkpoint(page: Page, timeout = 120_000): Promise<void> {
  await expect(page.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuetext', /Phase 2/, { timeout });
  await expect(page.getByRole('button', { name: /^Inspect checkpoint at step/ }).first()).toBeVisible({ timeout });
}

/** The first integer captured by `re` in a test id's text. */
export async function numberIn(page: Page, testId: string, re: RegExp): Promise<number> {
  const text = await page.getByTestId(testId).innerText();
  const m = re.exec(text);
  if (!m) throw new Error(`"${text}" does not match ${re}`);
  return Number(m[1]);
}

/** A labelled control, matched exactly (several labels share words: "Model", "Optimizer"). */
export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

/** The loss chart draws the reference, crashed and resumed curves, each with its legend entry. */
export async function expectThreeSeries(page: Page): Promise<void> {
  for (const series of ['reference', 'crashed', 'resumed']) {
    await expect(page.locator(`.live-layer .series-${series} path.series-curve`)).toHaveAttribute('d', /^M[^M]*L/);
    await expect(page.locator(`[data-series="${series}"]`)).toBeVisible();
  }
  await expect(page.getByRole('list', { name: 'Legend: series shown' }).getByRole('listitem')).toContainText([
    'Reference: ', 'Crashed run (phase 2): ', 'Resumed run: ',
  ]);
}
