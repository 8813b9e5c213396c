/**
 * What the page renders while a fast run streams, counted rather than timed:
 * React commits per part of the page (src/ui/renderProbe.ts), checked against
 * renderBudget (src/ui/renderBudget.ts). A chart frame (recharts) may
 * re-render a constant number of times per run; the curves, the progress bar
 * and the checkpoint panels at most once per throttle interval of run time.
 * Counts do not depend on how busy the machine is: a slower machine stretches
 * the run and the allowance with it. The negative control runs the same page
 * with every throttle off (?uiThrottle=off) and must exceed the budget in
 * every part. Long tasks, which do depend on the machine, are measured by
 * `npm run bench` (section 5), not here.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { CHECKPOINT_PARTS, FRAME_PARTS, LIVE_PARTS } from '../src/ui/renderBudget';
import { checkRenderBudget, startRenderCount } from './ui-helpers';

// wasm: 400 + 400 cheap steps and 200 checkpoints in phase 2: hundreds of step events and checkpoint commits stream to the page.
const FAST_RUN = '/?dataset=gaussians&steps=400&saveEverySteps=2&maxToKeep=3&backend=wasm&speed=max';

async function runAndCount(page: Page, info: TestInfo, url: string, label: string) {
  await page.goto(url);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  const atLoad = await page.evaluate(() => window.resumableRenders!.read());
  await startRenderCount(page);
  await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
  // Cheap CSS polls while the run streams: role and text queries would add main-thread work of their own.
  await page.waitForFunction(() => document.querySelector('.verdict .status') !== null, undefined, { polling: 250, timeout: 180_000 });
  const during = await checkRenderBudget(page, info, label);
  console.log(`render counts (${label}) in ${Math.round(during.runMs)} ms: ${JSON.stringify(during.counts)}`);
  return { atLoad, ...during };
}

test('a fast wasm run keeps every part of the page within its render budget', async ({ page }, info) => {
  const { atLoad, counts, problems } = await runAndCount(page, info, FAST_RUN, 'throttled');
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('without a crash');
  // Every probe fires (the frames when the page loads, the rest during the run), so a probe that never fires cannot pass for a quiet page.
  for (const part of FRAME_PARTS) expect(atLoad.commits[part] ?? 0, part).toBeGreaterThan(0);
  for (const part of [...LIVE_PARTS, ...CHECKPOINT_PARTS]) expect(counts.commits[part] ?? 0, part).toBeGreaterThan(0);
  expect(counts.stepEvents).toBe(800);
  // Step events were coalesced: fewer refreshes than event batches.
  expect(counts.publishes).toBeLessThan(counts.eventBatches);
  expect(problems).toEqual([]);
});

test('negative control: with the throttles off (?uiThrottle=off) every part exceeds its budget', async ({ page }, info) => {
  const { problems } = await runAndCount(page, info, `${FAST_RUN}&uiThrottle=off`, 'throttles off');
  expect(problems.map((p) => p.part).sort()).toEqual([...FRAME_PARTS, ...LIVE_PARTS, ...CHECKPOINT_PARTS, 'publishes'].sort());
});

test('the keyboard works while a run streams', async ({ page }) => {
  await page.goto(FAST_RUN);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
  await page.waitForFunction(() => /Phase 2/.test(document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuetext') ?? ''), undefined, { polling: 250, timeout: 120_000 });
  const hints = page.locator('details.crash-hints');
  await hints.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(hints).toHaveAttribute('open', '');
});
