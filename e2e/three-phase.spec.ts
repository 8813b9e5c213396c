/**
 * The three-phase check through the real page and worker, with a real
 * SIGKILL of Chromium between phases 2 and 3, on WebGPU and on another
 * backend, plus a digits config that crashes between checkpoints.
 */
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config';
import { runThreePhase } from '../scripts/lib/three-phase';

const lines: string[] = [];
const log = (l: string) => lines.push(l);

test.describe.configure({ mode: 'serial' });

test('webgpu: SIGKILL at step 30, resume to 60, bit-exact', async ({ baseURL }, info) => {
  const report = await runThreePhase({ url: baseURL!, config: DEFAULT_CONFIG, crashAtStep: 30, log, outDir: info.outputPath('webgpu') });
  await info.attach('verify-output', { body: lines.join('\n'), contentType: 'text/plain' });
  expect(report.error).toBeNull();
  expect(report.backend?.backend).toBe('webgpu');
  expect(report.checkpointsAtCrash.map((c) => c.step)).toEqual([10, 20, 30]);
  expect(report.resume?.restoredFrom).toBe(30);
  expect(report.resume?.resumedLosses).toHaveLength(60);
  expect(report.resume?.verdict?.maxLossDiff).toBe(0);
  expect(report.resume?.verdict?.maxParamDiff).toBe(0);
  expect(report.exact).toBe(true);
  await info.attach('curves', { path: info.outputPath('webgpu', 'curves.png'), contentType: 'image/png' });
});

test('wasm: momentum, crash at 25 between checkpoints, redo the lost steps, bit-exact', async ({ baseURL }) => {
  const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'wasm', optimizer: 'momentum', lr: 0.05, steps: 40, saveEverySteps: 10, dataset: 'moons' };
  const report = await runThreePhase({ url: baseURL!, config, crashAtStep: 25, log });
  expect(report.backend?.backend).toBe('wasm');
  expect(report.resume?.restoredFrom).toBe(20);
  expect(report.resume?.stepsLost).toBe(5);
  expect(report.exact).toBe(true);
});

test('webgpu: digits with Adam, crash between checkpoints (12, saved every 5), bit-exact', async ({ baseURL }) => {
  const config: RunConfig = { ...DEFAULT_CONFIG, dataset: 'digits', hidden: [32], activation: 'relu', optimizer: 'adam', lr: 0.003, batch: 32, steps: 20, saveEverySteps: 5, inputNoise: 0.1 };
  const report = await runThreePhase({ url: baseURL!, config, crashAtStep: 12, log });
  expect(report.error).toBeNull();
  expect(report.backend?.backend).toBe('webgpu');
  expect(report.resume?.restoredFrom).toBe(10);
  expect(report.resume?.stepsLost).toBe(2);
  expect(report.resume?.resumedLosses).toHaveLength(20);
  expect(report.exact).toBe(true);
});
