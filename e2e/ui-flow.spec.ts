/**
 * The playground end to end, through the real UI and a real reload: run,
 * crash the tab during phase 2, find the interrupted run, resume, and read
 * an exact verdict from the page (WebGPU, SwiftShader on CPU-only hosts, 40
 * steps); and the same with the crash in the middle of a checkpoint write
 * (wasm). The page's render counts during the WebGPU run stay within their
 * budget (src/ui/renderBudget.ts).
 */
import { expect, test } from '@playwright/test';
import {
  checkRenderBudget, crashAndWaitForReload, drawLogged, expectThreeSeries, numberIn, shoot, startRenderCount, waitForPhase2Checkpoint,
} from './ui-helpers';

const RUN_URL = '/?dataset=spirals&steps=40&saveEverySteps=5&maxToKeep=3&backend=webgpu';

test('run, crash the tab in phase 2, reload, resume: the verdict is exactly 0', async ({ page }, info) => {
  await page.goto(RUN_URL);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('backend-adapter')).not.toBeEmpty();
  await startRenderCount(page);

  await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
  await waitForPhase2Checkpoint(page);
  // A random moment after the first committed checkpoint, well inside phase 2 (the seed is logged for a replay).
  const target = drawLogged(info, 'crash step', 7, 20);
  const bar = page.getByRole('progressbar', { name: 'Training progress' });
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { intervals: [20], timeout: 60_000 }).toBeGreaterThanOrEqual(target);
  await shoot(page, info, 'running.png');
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(40);
  expect((await checkRenderBudget(page, info, 'run')).problems).toEqual([]);

  await crashAndWaitForReload(page, () => page.getByRole('button', { name: 'Crash tab', exact: true }).click());
  await expect(page.getByRole('heading', { name: 'Interrupted run found' })).toBeVisible();
  const ckpt = await numberIn(page, 'found-checkpoint', /Last committed checkpoint: step (\d+)/);
  const crashAt = await numberIn(page, 'found-lost', /cut short at step (\d+)/);
  const lost = await numberIn(page, 'found-lost', /: (\d+) steps? after the checkpoint/);
  expect(ckpt % 5).toBe(0);
  expect(ckpt).toBeGreaterThanOrEqual(5);
  expect(crashAt).toBeGreaterThanOrEqual(ckpt);
  expect(lost).toBe(crashAt - ckpt);
  await expect(page.getByTestId('found-lost')).toContainText('Crash tab');
  // The crashed curve survived the reload (the page's own progress log).
  // The reference ran beside the crashed run, so it too stopped where the tab died; the resume recomputes it.
  await expect(page.locator('[data-series="reference"]')).toContainText(/Reference: \d+ steps/);
  await expect(page.locator('[data-series="crashed"]')).toContainText(`crashed at step ${crashAt}`);
  await shoot(page, info, 'after-reload.png');

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('Max |reference − resumed| over losses: 0.0000e+00', { timeout: 120_000 });
  await expect(verdict).toContainText('Max |reference − resumed| over parameters: 0.0000e+00');
  await expect(page.getByTestId('verdict-status')).toHaveText(/Bit-exact/);
  await expect(page.getByTestId('verdict-first')).toHaveText('First divergent step: none');
  await expect(verdict).toContainText(`Restored from step ${ckpt}; ${lost} step`);
  expect(await page.getByTestId('hash-reference').innerText()).toBe(await page.getByTestId('hash-resumed').innerText());
  await expect(page.getByTestId('diff-summary')).toHaveText('Exactly 0 at all 40 steps compared.');

  // All three series are drawn: a curve for each, and a legend entry for each.
  await expectThreeSeries(page);
  await expect(page.locator('[data-series="resumed"]')).toContainText(`from step ${ckpt}`);
  await expect(page.getByText(`restore @ ${ckpt}`)).toBeVisible();
  await expect(page.getByText(`crash @ ${crashAt}`)).toBeVisible();
  // Hovering the loss chart at its right edge reads out the last step, where the resumed loss equals the reference.
  const lossChart = page.locator('figure.chart').first();
  const hoverTarget = lossChart.locator('.hover-target');
  const box = await hoverTarget.boundingBox();
  await hoverTarget.hover({ position: { x: box!.width - 1, y: box!.height / 2 } });
  const lines = lossChart.locator('.readout text');
  await expect(lines.first()).toHaveText('Step 40');
  const readout = await lines.allTextContents();
  const valueOf = (prefix: string) => readout.find((l) => l.startsWith(prefix))?.slice(prefix.length);
  expect(valueOf('Reference: ')).toMatch(/^\d\.\d+/);
  expect(valueOf('Resumed run: ')).toBe(valueOf('Reference: '));
  await page.mouse.move(0, 0);
  await shoot(page, info, 'verdict.png', { scrollTo: 'Loss curves' });

  // The run list records it as resumed and bit-exact.
  await expect(page.getByRole('region', { name: 'Runs in this browser' })).toContainText('✓ bit-exact');
  info.annotations.push({ type: 'crash', description: `crashed at step ${crashAt}, resumed from ${ckpt}, ${lost} steps redone` });
});

test('crash during a checkpoint write: the resume comes from the previous checkpoint and is exact', async ({ page }, info) => {
  // wasm: cheap steps. Armed before the run, the page arms the engine once phase 2 has committed its first checkpoint.
  await page.goto('/?dataset=moons&hidden=64x64&steps=200&saveEverySteps=10&maxToKeep=3&backend=wasm&speed=max');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Crash during next checkpoint write' }).click();
  await expect(page.locator('#arm-write-status')).toContainText('Armed for after the first committed checkpoint of phase 2');
  // The page kills the worker itself when the armed write announces its open transaction.
  await crashAndWaitForReload(page, () => page.getByRole('button', { name: 'Run experiment', exact: true }).click());

  await expect(page.getByRole('heading', { name: 'Interrupted run found' })).toBeVisible();
  const writing = await numberIn(page, 'found-write', /checkpoint of step (\d+) was being written/);
  const previous = await numberIn(page, 'found-write', /previous checkpoint, step (\d+)/);
  const ckpt = await numberIn(page, 'found-checkpoint', /Last committed checkpoint: step (\d+)/);
  expect(writing).toBeGreaterThanOrEqual(20);
  expect(previous).toBe(writing - 10);
  expect(ckpt).toBe(previous);
  await expect(page.getByTestId('found-lost')).toContainText('by a crash during a checkpoint write');
  info.annotations.push({ type: 'crash', description: `killed while writing step ${writing}; committed: ${ckpt}` });

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('Max |reference − resumed| over losses: 0.0000e+00', { timeout: 120_000 });
  await expect(verdict).toContainText('Max |reference − resumed| over parameters: 0.0000e+00');
  await expect(verdict).toContainText(`Restored from step ${previous};`);
  await expect(page.getByTestId('verdict-status')).toHaveText(/Bit-exact/);
  // The aborted write left nothing behind: the run's checkpoints are the resumed run's, none at the aborted step's old payload.
  await expect(page.locator('.ckpt-table tbody tr')).toHaveCount(3);
});
