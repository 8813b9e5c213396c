/**
 * Why the engine turns WEBGL_PACK off: with TF.js's packed WebGL kernels a
 * resumed SGD run does not repeat the reference's bits (the restored
 * weights arrive as unpacked uploads, the reference's as packed outputs);
 * with them off it does. Both halves run here, so the flag is proven, not assumed.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';

const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'webgl', optimizer: 'sgd', lr: 0.1, steps: 30, saveEverySteps: 10 };

async function resumeOnWebgl(page: Page, pack: boolean) {
  await page.goto('/?testapi');
  await page.waitForFunction(() => window.resumable !== undefined);
  const report = await page.evaluate((pack) => window.resumable!.init('webgl', true, { WEBGL_PACK: pack }), pack);
  expect(report.backend).toBe('webgl');
  expect(report.flags.WEBGL_PACK).toBe(pack);
  await page.evaluate((config) => window.resumable!.call('runExperiment', { runId: 'pack', config, crashAtStep: 10 }), config);
  return page.evaluate(() => window.resumable!.call('resume', { runId: 'pack' }));
}

test('webgl with WEBGL_PACK off (the engine default): SGD resume is bit-exact', async ({ page }) => {
  const r = await resumeOnWebgl(page, false);
  expect(r.verdict?.exact).toBe(true);
});

test('webgl with WEBGL_PACK on: the same resume is not bit-exact (negative control)', async ({ page }, info) => {
  const r = await resumeOnWebgl(page, true);
  await info.attach('verdict', { body: JSON.stringify({ maxLossDiff: r.verdict?.maxLossDiff, maxParamDiff: r.verdict?.maxParamDiff, firstDivergentStep: r.verdict?.firstDivergentStep }), contentType: 'application/json' });
  console.log(`WEBGL_PACK on: max|Δloss| ${r.verdict?.maxLossDiff}, max|Δparam| ${r.verdict?.maxParamDiff}, first divergent step ${r.verdict?.firstDivergentStep}`);
  expect(r.verdict?.exact).toBe(false);
});
