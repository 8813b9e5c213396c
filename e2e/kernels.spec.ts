/**
 * Kernel determinism on WebGPU. TF.js's split-K matmul accumulates with
 * atomics, so its summation order is not fixed; the engine pins the packed
 * program. These reruns prove the pinned kernel gives one bit pattern, and
 * that a whole training run repeats itself exactly (phase 2 without a crash
 * equals phase 1).
 */
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';

test.beforeEach(async ({ page }) => {
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  const backend = await page.evaluate(() => window.resumable!.init('webgpu', true));
  expect(backend.backend).toBe('webgpu');
  expect(backend.flags.WEBGPU_MATMUL_PROGRAM_TYPE).toBe(3);
});

test('a split-K-shaped matmul is bit-stable across 20 reruns with the pin', async ({ page }, info) => {
  const pinned = await page.evaluate(() => window.resumable!.call('matmulRerun', { m: 8, k: 4096, n: 64, repeats: 20, pinned: true }));
  expect(pinned.distinct).toBe(1);
  // Without the pin TF.js chooses split-K here; record what this machine's GPU did with it.
  const unpinned = await page.evaluate(() => window.resumable!.call('matmulRerun', { m: 8, k: 4096, n: 64, repeats: 20, pinned: false }));
  await info.attach('rerun', { body: JSON.stringify({ pinned, unpinned }, null, 1), contentType: 'application/json' });
  expect(unpinned.programType).toBe(-1);
});

test('the same run twice (phase 2 without a crash) equals phase 1 bit for bit: CNN on digits', async ({ page }) => {
  const config: RunConfig = { ...DEFAULT_CONFIG, dataset: 'digits', model: 'cnn', hidden: [16], activation: 'relu', lr: 0.003, batch: 16, steps: 6, saveEverySteps: 3, inputNoise: 0.1 };
  const result = await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'rerun', config }), config);
  expect(result.end).toBe('finished');
  expect(result.checkpointedLosses).toEqual(result.referenceLosses);
  const runs = await page.evaluate(() => window.resumable!.call('listRuns', {}));
  const run = runs.find((r) => r.runId === 'rerun')!;
  expect(run.status).toBe('finished');
  expect(run.verdict?.maxParamDiff).toBe(0);
  expect(run.verdict?.maxLossDiff).toBe(0);
});
