/**
 * Bad input in the real browser: a corrupted payload in real IndexedDB, a
 * truncated one, a full disk (quota lowered through the DevTools protocol),
 * garbage and foreign imports. Each gets a named, clear error, and nothing
 * committed before is lost.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';
import { tamper } from './idb-helpers';

const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'wasm', steps: 20, saveEverySteps: 5 };

async function openEngine(page: Page) {
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  await page.evaluate(() => window.resumable!.init('wasm', true));
}

test('a flipped bit in the newest checkpoint: named with step and tensor, kept, and the resume falls back to the newest intact one', async ({ page }) => {
  await openEngine(page);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'bad', config, crashAtStep: 12 }), config);
  await tamper(page, 'bad', 10, 'flip');
  // Asked for that step by name, the restore is refused with the step and the tensor.
  const err = await page.evaluate(() => window.resumable!.call('resume', { runId: 'bad', step: 10 }).then(() => null, (e: Error) => ({ name: e.name, message: e.message })));
  expect(err?.name).toBe('CheckpointCorruptError');
  expect(err?.message).toContain('step 10');
  expect(err?.message).toContain('model/dense_0/kernel');
  // Without a step the resume passes over it, says so, and comes from step 5, bit-exact.
  const ok = await page.evaluate(() => window.resumable!.call('resume', { runId: 'bad' }));
  expect(ok.restoredFrom).toBe(5);
  expect(ok.skipped.map((s) => [s.step, s.path])).toEqual([[10, 'model/dense_0/kernel']]);
  expect(ok.verdict?.exact).toBe(true);
  // The run record remembers the corrupt step for the checkpoints panel.
  const runs = await page.evaluate(() => window.resumable!.call('listRuns', {}));
  expect(runs.find((r) => r.runId === 'bad')?.corruptSteps?.map((c) => c.step)).toEqual([10]);
});

test('a truncated tensor is refused as corrupt', async ({ page }) => {
  await openEngine(page);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'short', config, crashAtStep: 6 }), config);
  await tamper(page, 'short', 5, 'truncate');
  const err = await page.evaluate(() => window.resumable!.call('resume', { runId: 'short', step: 5 }).then(() => null, (e: Error) => ({ name: e.name, message: e.message })));
  expect(err?.name).toBe('CheckpointCorruptError');
  expect(err?.message).toMatch(/truncated/i);
  expect(err?.message).toContain('step 5');
  expect(err?.message).toContain('model/dense_0/kernel');
});

test('a full disk: the failed checkpoint is reported as StorageFullError and earlier ones stay intact', async ({ page, context, baseURL }) => {
  await openEngine(page);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  // Measured here: a 200 kB quota on a fresh origin holds the run record and the
  // first checkpoint of this config (hidden 64x64, Adam), not the later ones.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 200_000 });
  const big: RunConfig = { ...config, hidden: [64, 64], steps: 20, saveEverySteps: 5 };
  const err = await page.evaluate((c) => window.resumable!.call('runExperiment', { runId: 'full', config: c })
    .then(() => null, (e: Error) => ({ name: e.name, message: e.message })), big);
  expect(err?.name).toBe('StorageFullError');
  expect(err?.message).toMatch(/checkpoint at step \d+ was not written; earlier checkpoints are intact/);
  const kinds = await page.evaluate(() => window.resumable!.events().filter((e) => e.type === 'checkpoint' || e.type === 'checkpoint-error').map((e) => e.type));
  expect(kinds).toContain('checkpoint');
  expect(kinds).toContain('checkpoint-error');
  const committed = (await page.evaluate(() => window.resumable!.call('listCheckpoints', { runId: 'full' }))).map((c) => c.step);
  expect(committed.length).toBe(kinds.filter((k) => k === 'checkpoint').length);
  // With room again (a fresh page opens storage under the restored quota), the committed checkpoint restores exactly.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await openEngine(page);
  const ok = await page.evaluate(() => window.resumable!.call('resume', { runId: 'full' }));
  expect(ok.restoredFrom).toBe(committed.at(-1));
  expect(ok.verdict?.exact).toBe(true);
});

test('imports: garbage and another model\'s checkpoint are refused, nothing is written', async ({ page }) => {
  await openEngine(page);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'a', config, crashAtStep: 10 }), config);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'b', config: { ...config, hidden: [16] }, crashAtStep: 5 }), config);
  const garbage = await page.evaluate(() => window.resumable!.call('importCheckpoint', { runId: 'a', bytes: new TextEncoder().encode('definitely not a checkpoint') })
    .then(() => null, (e: Error) => e.name));
  expect(garbage).toBe('CheckpointCorruptError');
  const foreign = await page.evaluate(async () => {
    const bytes = await window.resumable!.call('exportCheckpoint', { runId: 'b', step: 5 });
    return window.resumable!.call('importCheckpoint', { runId: 'a', bytes }).then(() => null, (e: Error) => ({ name: e.name, message: e.message }));
  });
  expect(foreign?.name).toBe('StructureMismatchError');
  expect(foreign?.message).toContain('hidden');
  const steps = (await page.evaluate(() => window.resumable!.call('listCheckpoints', { runId: 'a' }))).map((c) => c.step);
  expect(steps).toEqual([5, 10]);
  // A file of the run's own checkpoint round-trips.
  const own = await page.evaluate(async () => {
    const bytes = await window.resumable!.call('exportCheckpoint', { runId: 'a', step: 10 });
    return window.resumable!.call('importCheckpoint', { runId: 'a', bytes });
  });
  expect(own).toBe(10);
});

test('a second tab writing the same run is caught: the stale writer gets ConcurrentWriteError, the other tab\'s checkpoints stay', async ({ page, context }) => {
  await openEngine(page);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'two', config, crashAtStep: 10 }), config);
  // Another tab resumes the run and trains it to the end (checkpoints 15 and 20).
  const other = await context.newPage();
  await openEngine(other);
  const theirs = await other.evaluate(() => window.resumable!.call('resume', { runId: 'two' }));
  expect(theirs.verdict?.exact).toBe(true);
  const committed = (await other.evaluate(() => window.resumable!.call('listCheckpoints', { runId: 'two' }))).map((c) => c.step);
  expect(committed).toContain(20);
  // The first tab still holds the manifest it last committed; its next commit claims a generation the other tab already took.
  const err = await page.evaluate(() => window.resumable!.call('resume', { runId: 'two', step: 10 }).then(() => null, (e: Error) => ({ name: e.name, message: e.message })));
  expect(err?.name).toBe('ConcurrentWriteError');
  expect(err?.message).toMatch(/changed by another writer .*checkpoint 15 was not written/);
  const after = (await other.evaluate(() => window.resumable!.call('listCheckpoints', { runId: 'two' }))).map((c) => c.step);
  expect(after).toEqual(expect.arrayContaining(committed));
  const ok = await other.evaluate(() => window.resumable!.call('resume', { runId: 'two', step: 20 }));
  expect(ok.restoredFrom).toBe(20);
  await other.close();
});
