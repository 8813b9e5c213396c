/**
 * A page reload in the middle of the checkpointed phase: the worker dies
 * with the page, the reloaded page finds the interrupted run in IndexedDB,
 * and the resume matches the reference bit for bit.
 */
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';

test('page.reload() mid-training resumes bit-exact', async ({ page }) => {
  const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'webgpu', steps: 40, saveEverySteps: 5 };
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  const backend = await page.evaluate(() => window.resumable!.init('webgpu', true));
  expect(backend.backend).toBe('webgpu');
  // Not awaited: the reload interrupts it.
  const interrupted = page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'reload', config }), config).catch((e: Error) => e);
  await page.waitForFunction(() => {
    const last = window.resumable!.lastStep();
    return last !== null && last.phase === 'checkpointed' && last.step >= 17;
  }, undefined, { timeout: 120_000, polling: 20 });
  await page.reload();
  expect(String(await interrupted)).toContain('Execution context was destroyed');
  await page.waitForFunction(() => window.resumable !== undefined);
  await page.evaluate(() => window.resumable!.init('webgpu', true));
  const found = await page.evaluate(() => window.resumable!.call('findInterrupted', {}));
  expect(found?.record.runId).toBe('reload');
  const latest = found!.checkpoints.at(-1)!.step;
  expect(latest).toBeGreaterThanOrEqual(15);
  const result = await page.evaluate(() => window.resumable!.call('resume', { runId: 'reload' }));
  expect(result.restoredFrom).toBe(latest);
  expect(result.resumedLosses).toHaveLength(40);
  expect(result.verdict?.maxLossDiff).toBe(0);
  expect(result.verdict?.maxParamDiff).toBe(0);
  expect(result.verdict?.exact).toBe(true);
});
