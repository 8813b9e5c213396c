/**
 * Checkpoints commit in a writer worker that the engine worker starts. Killing the engine worker while the writer holds such a
 * checkpoint's transaction open must abort it, as it does for a commit in the
 * engine worker: nothing of that checkpoint is kept, and the resume comes
 * from the checkpoint before, bit-exact.
 */
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';

test('wasm: the engine dies while its writer worker holds a 300 KiB checkpoint open; none of it is kept', async ({ page, context }) => {
  // digits MLP 784→32→10 with Adam: about 300 KiB per checkpoint, big enough that IndexedDB wraps it in a Blob.
  const config: RunConfig = {
    ...DEFAULT_CONFIG, backend: 'wasm', dataset: 'digits', hidden: [32], activation: 'relu', optimizer: 'adam', lr: 0.003, batch: 32, steps: 30, saveEverySteps: 5,
  };
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  await page.evaluate(() => window.resumable!.init('wasm', true));
  // Not awaited: the kill interrupts it.
  void page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'writer-crash', config }), config).catch(() => undefined);
  // Once phase 2 has committed a checkpoint, hold the next one's transaction open.
  await page.waitForFunction(() => window.resumable!.events().some((e) => e.type === 'checkpoint'), undefined, { timeout: 120_000, polling: 10 });
  await page.evaluate(() => window.resumable!.call('armCrashDuringWrite', {}));
  await page.waitForFunction(() => window.resumable!.events().some((e) => e.type === 'checkpoint-write-open'), undefined, { timeout: 120_000, polling: 10 });
  const { writing, committed } = await page.evaluate(() => {
    const events = window.resumable!.events();
    window.resumable!.killWorker();
    const open = events.find((e) => e.type === 'checkpoint-write-open') as { step: number };
    const done = events.flatMap((e) => (e.type === 'checkpoint' ? [e.info] : []));
    return { writing: open.step, committed: done };
  });
  expect(committed.length).toBeGreaterThan(0);
  expect(committed.every((c) => c.bytes > 64 * 1024)).toBe(true);
  // The writer worker ends with the engine: once its target is gone, nothing can commit the held checkpoint later.
  const cdp = await context.newCDPSession(page);
  await expect.poll(async () => (await cdp.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'worker').map((t) => t.url), { timeout: 30_000 }).toEqual([]);

  await page.reload();
  await page.waitForFunction(() => window.resumable !== undefined);
  await page.evaluate(() => window.resumable!.init('wasm', true));
  const steps = (await page.evaluate(() => window.resumable!.call('listCheckpoints', { runId: 'writer-crash' }))).map((c) => c.step);
  expect(steps).not.toContain(writing);
  expect(steps).toEqual(committed.map((c) => c.step).slice(-config.maxToKeep));
  const result = await page.evaluate(() => window.resumable!.call('resume', { runId: 'writer-crash' }));
  expect(result.restoredFrom).toBe(steps.at(-1));
  expect(result.restoredFrom).toBeLessThan(writing);
  expect(result.verdict?.exact).toBe(true);
});
