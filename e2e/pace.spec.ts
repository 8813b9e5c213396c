/**
 * Pace changes when steps run, never what they compute: in real Chromium the
 * same run unpaced, and paused, stepped one at a time and then capped at a
 * rate, gives the same losses and the same final state, bit for bit.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';

const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'wasm', dataset: 'moons', steps: 40, saveEverySteps: 5 };

async function openEngine(page: Page) {
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  await page.evaluate(() => window.resumable!.init('wasm', true));
}

const checkpointedSteps = (page: Page) => page.evaluate(() => window.resumable!.events().filter((e) => e.type === 'step' && e.phase === 'checkpointed').length);

test('a paced run (paused, single steps, a rate cap) equals an unpaced one bit for bit', async ({ page }) => {
  await openEngine(page);
  const unpaced = await page.evaluate((c) => window.resumable!.call('runExperiment', { runId: 'fast', config: c }), config);

  await openEngine(page);
  await page.evaluate(() => window.resumable!.call('setPace', { stepsPerSecond: null, paused: true }));
  const paced = page.evaluate((c) => window.resumable!.call('runExperiment', { runId: 'slow', config: c }), config);
  for (let i = 1; i <= 3; i++) {
    await page.evaluate(() => window.resumable!.call('stepOnce', {}));
    await expect.poll(() => checkpointedSteps(page)).toBe(i);
  }
  // Paused: nothing more runs until the next step or play.
  await page.waitForTimeout(300);
  expect(await checkpointedSteps(page)).toBe(3);
  await page.evaluate(() => window.resumable!.call('setPace', { stepsPerSecond: 60, paused: false }));
  const slow = await paced;

  expect(slow.end).toBe('finished');
  expect(slow.checkpointedLosses).toEqual(unpaced.checkpointedLosses);
  expect(slow.referenceLosses).toEqual(unpaced.referenceLosses);
  expect(slow.verdict?.exact).toBe(true);
  expect(slow.verdict?.resumedHash).toBe(unpaced.verdict?.resumedHash);
  expect(slow.verdict?.referenceHash).toBe(unpaced.verdict?.referenceHash);
  // Negative control: the comparison can tell runs apart (another seed, another state).
  await page.evaluate(() => window.resumable!.call('setPace', { stepsPerSecond: null, paused: false }));
  const other = await page.evaluate((c) => window.resumable!.call('runExperiment', { runId: 'other', config: { ...c, seed: 1 } }), config);
  expect(other.verdict?.resumedHash).not.toBe(unpaced.verdict?.resumedHash);
  expect(other.checkpointedLosses).not.toEqual(unpaced.checkpointedLosses);
});
