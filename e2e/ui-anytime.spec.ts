/**
 * Crash it whenever you like, through the playground's accessible controls:
 * a crash before the first checkpoint says so and offers a restart; the pace
 * (pause, single steps, play) drives the run step by step; the kernels are
 * compiled while the page idles; a pitfall that cannot bite says so before
 * the run and never passes as a success after it; a corrupt newest
 * checkpoint is passed over, named and marked, and any checkpoint can be
 * restored from; chaos crashes the run again and again and it still ends
 * bit-exact. No assertion here depends on how fast the machine is.
 */
import { expect, test, type Page } from '@playwright/test';
import { tamper } from './idb-helpers';
import { crashAndWaitForReload, field, numberIn, shoot } from './ui-helpers';

const bar = (page: Page) => page.getByRole('progressbar', { name: 'Training progress' });
const run = (page: Page) => page.getByRole('button', { name: 'Run experiment', exact: true });
const stepNow = async (page: Page) => Number(await bar(page).getAttribute('aria-valuenow'));

async function open(page: Page, query: string, backend = 'wasm') {
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('backend-name')).toHaveText(backend, { timeout: 60_000 });
}

test('a crash before the first checkpoint says that no checkpoint exists yet, and Restart runs it again', async ({ page }, info) => {
  await open(page, 'dataset=moons&steps=40&saveEverySteps=10&backend=wasm&speed=3');
  await run(page).click();
  await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await crashAndWaitForReload(page, () => page.getByRole('button', { name: 'Crash tab', exact: true }).click());
  await expect(page.getByRole('heading', { name: 'No checkpoint yet: nothing to resume' })).toBeVisible();
  await expect(page.getByTestId('lost-run')).toContainText('before its first checkpoint (due at step 10) was committed');
  await shoot(page, info, 'no-checkpoint-yet.png');
  await page.getByRole('button', { name: 'Restart the run' }).click();
  await expect(bar(page)).toHaveAttribute('aria-valuetext', /Phase 2/, { timeout: 60_000 });
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('without a crash', { timeout: 120_000 });
});

test('pace: paused, each Step runs exactly one step; Play runs the rest; the result is exact', async ({ page }, info) => {
  await open(page, 'dataset=moons&steps=30&saveEverySteps=5&backend=wasm&speed=max');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await run(page).click();
  await expect(bar(page)).toHaveAttribute('aria-valuetext', /Phase 2.*paused/, { timeout: 60_000 });
  expect(await stepNow(page)).toBe(0);
  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => stepNow(page)).toBe(i);
  }
  await expect(page.getByTestId('progress-detail')).toContainText('step 3 / 30 · reference at 3 · paused');
  await shoot(page, info, 'paused.png');
  // Paused means no step runs: a while later it still stands at 3.
  await page.waitForTimeout(500);
  expect(await stepNow(page)).toBe(3);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('Phase 2 repeated phase 1 exactly', { timeout: 120_000 });
  await expect(verdict).toContainText('over losses: 0.0000e+00');
});

test('the kernels are compiled while the page idles, and the page says so', async ({ page }, info) => {
  await open(page, 'backend=webgpu&speed=max', 'webgpu');
  const line = page.locator('.progress-phase');
  await expect(line).toHaveText(/Preparing the webgpu kernels|Ready: webgpu kernels compiled/, { timeout: 60_000 });
  await expect(line).toHaveText(/^Ready: webgpu kernels compiled in \d+\.\d s\. Press Run experiment\.$/, { timeout: 120_000 });
  await shoot(page, info, 'kernels-ready.png');
  await run(page).click();
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('Phase 2 repeated phase 1 exactly', { timeout: 180_000 });
});

test('a pitfall that cannot bite says so before the run, offers the nearest setting, and is never shown as a success', async ({ page }, info) => {
  await open(page, 'dataset=moons&steps=20&saveEverySteps=5&backend=wasm&speed=max&optimizer=sgd&lr=0.1&pitfall=omit-optimizer');
  const warning = page.getByTestId('pitfall-warning');
  await expect(warning).toContainText('Cannot bite with these settings: plain SGD keeps no state');
  await shoot(page, info, 'pitfall-warning.png');
  await warning.getByRole('button', { name: /Use SGD \+ momentum/ }).click();
  await expect(field(page, 'Optimizer')).toHaveValue('momentum');
  await expect(warning).toHaveCount(0);
  // Back to SGD, and run it anyway: the verdict says the mistake had no effect here, not "bit-exact".
  await field(page, 'Optimizer').selectOption('sgd');
  await expect(page.getByTestId('pitfall-warning')).toBeVisible();
  await field(page, 'Auto-resume after a crash').check();
  await field(page, 'Crash at step').fill('12');
  await crashAndWaitForReload(page, () => run(page).click());
  await expect(page.getByTestId('verdict-status')).toHaveText(/No visible effect/, { timeout: 60_000 });
  await expect(page.getByTestId('verdict-status')).not.toHaveText(/Bit-exact/);
  await expect(page.getByTestId('verdict-why')).toContainText('plain SGD keeps no state');
  await shoot(page, info, 'pitfall-no-effect.png', { scrollTo: 'Verdict' });
});

test('a corrupt newest checkpoint is passed over, named and marked; any checkpoint can be restored from', async ({ page }, info) => {
  await open(page, 'dataset=moons&steps=30&saveEverySteps=5&maxToKeep=3&backend=wasm&speed=max');
  await field(page, 'Crash at step').fill('12');
  await crashAndWaitForReload(page, () => run(page).click());
  await expect(page.getByRole('heading', { name: 'Interrupted run found' })).toBeVisible();
  const runId = (await page.getByTestId('found-run').locator('code').innerText()).trim();
  await tamper(page, runId, 10, 'flip');
  // Slowly, so the marked checkpoint is still listed while the resumed run passes step 5 to 9.
  await page.getByLabel('Speed').selectOption('1');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const row10 = page.locator('.ckpt-table tbody tr[data-step="10"]');
  await expect(row10).toContainText('corrupt', { timeout: 60_000 });
  await shoot(page, info, 'corrupt-checkpoint.png', { scrollTo: 'Checkpoints' });
  await page.getByLabel('Speed').selectOption('max');
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(page.getByTestId('verdict-status')).toHaveText(/Bit-exact/, { timeout: 120_000 });
  await expect(page.getByTestId('verdict-skipped')).toContainText('The checkpoint of step 10 failed its checks in model/dense_0/kernel');
  await expect(verdict).toContainText('Restored from step 5;');
  // Restore from here: any kept checkpoint resumes the run, and it ends as exact.
  await page.getByRole('button', { name: 'Restore from the checkpoint at step 20' }).click();
  await expect(verdict).toContainText('Restored from step 20;', { timeout: 120_000 });
  await expect(page.getByTestId('verdict-status')).toHaveText(/Bit-exact/);
});

test('chaos: crashed again and again at random moments (tab and worker), the run still ends bit-exact', async ({ page }, info) => {
  const seed = 1 + Math.floor(Math.random() * 1e6);
  info.annotations.push({ type: 'chaos seed', description: String(seed) });
  console.log(`[chaos] seed ${seed} (replay: ?chaosSeed=${seed})`);
  await open(page, `dataset=moons&steps=300&saveEverySteps=5&backend=wasm&speed=30&chaosSeed=${seed}`);
  await field(page, 'Chaos: crash at random moments until the run ends').check();
  await expect(page.getByTestId('chaos-status')).toContainText(`seed ${seed}`);
  await run(page).click();
  // Tab crashes reload the page; the page resumes by itself each time.
  await expect(page.getByTestId('chaos-status')).toContainText('Chaos is over', { timeout: 300_000 });
  const crashes = await numberIn(page, 'chaos-status', /survived (\d+) crash/);
  // 300 steps at 30 steps/s and a crash at most 4 s after each segment's first checkpoint: at least two crashes.
  expect(crashes).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('verdict-status')).toHaveText(/Bit-exact/);
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('over parameters: 0.0000e+00');
  info.annotations.push({ type: 'chaos', description: await page.getByTestId('chaos-status').innerText() });
  await shoot(page, info, 'chaos.png', { scrollTo: 'Crash it' });
});
