/**
 * Shared helpers for the playground specs (e2e/ui-*.spec.ts): screenshots
 * that also land in docs/screenshots/, render counts, the crash/reload wait,
 * and readers for the numbers the page shows.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { renderBudgetProblems, type BudgetProblem } from '../src/ui/renderBudget';
import type { RenderCounts } from '../src/ui/renderProbe';

const DOCS_SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

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
  await expect(page.getByRole('heading', { name: /Interrupted run found|nothing to resume/ })).toBeVisible({ timeout: 60_000 });
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

/** Zeroes the page's render counts and notes the time: the start of a span that checkRenderBudget judges. */
export async function startRenderCount(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.resumableRenders!.reset();
    (window as unknown as { __renderSpanStart: number }).__renderSpanStart = performance.now();
  });
}

/** The render counts since startRenderCount, the span's length, and every part over its budget (annotated on the test). */
export async function checkRenderBudget(page: Page, info: TestInfo, label: string): Promise<{ counts: RenderCounts; runMs: number; problems: BudgetProblem[] }> {
  const { counts, runMs } = await page.evaluate(() => ({
    counts: window.resumableRenders!.read(),
    runMs: performance.now() - (window as unknown as { __renderSpanStart: number }).__renderSpanStart,
  }));
  info.annotations.push({ type: `render counts (${label})`, description: JSON.stringify({ runMs: Math.round(runMs), ...counts }) });
  return { counts, runMs, problems: renderBudgetProblems(counts, runMs) };
}

/**
 * A random draw for a test that logs its seed, so a failure can be replayed
 * with RESUMABLE_E2E_SEED=<seed>: an integer in [lo, hi].
 */
export function drawLogged(info: TestInfo, label: string, lo: number, hi: number): number {
  const seed = Number(process.env.RESUMABLE_E2E_SEED) || Math.floor(Math.random() * 2 ** 31);
  const value = lo + (seed % (hi - lo + 1));
  info.annotations.push({ type: `random ${label}`, description: `${value} (seed ${seed}; replay with RESUMABLE_E2E_SEED=${seed})` });
  console.log(`[${info.title}] ${label} = ${value} (RESUMABLE_E2E_SEED=${seed})`);
  return value;
}
