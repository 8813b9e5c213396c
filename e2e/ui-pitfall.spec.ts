/**
 * Pitfalls and checkpoint files through the playground, on wasm (cheap
 * steps; the mistakes do not depend on the backend): forgetting the
 * optimizer state diverges and the verdict names what was missing; a
 * mismatched template is refused with the paths; a checkpoint exports and
 * imports back, and a garbage file is refused with its error name while the
 * list stays as it was.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { CHECKPOINT_FILE_MAGIC } from '../src/core/constants';
import { crashAndWaitForReload, expectThreeSeries, field, numberIn } from './ui-helpers';

test('omit-optimizer: crash at step 17, resume diverges, the verdict says why; export, import, garbage import', async ({ page }) => {
  await page.goto('/?dataset=moons&steps=30&saveEverySteps=5&maxToKeep=3&backend=wasm&pitfall=omit-optimizer&speed=max');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByRole('radio', { name: 'Forget the optimizer state' })).toBeChecked();
  await field(page, 'Crash at step').fill('17');
  await crashAndWaitForReload(page, () => page.getByRole('button', { name: 'Run experiment', exact: true }).click());

  await expect(page.getByTestId('found-run')).toContainText('pitfall omit-optimizer');
  expect(await numberIn(page, 'found-checkpoint', /Last committed checkpoint: step (\d+)/)).toBe(15);
  await expect(page.getByTestId('found-lost')).toContainText('cut short at step 17 by the crash-at-step setting: 2 steps after the checkpoint were lost');

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(page.getByTestId('verdict-status')).toHaveText(/Diverged/, { timeout: 60_000 });
  await expect(verdict).toContainText('Max |reference − resumed| over losses:');
  const first = await numberIn(page, 'verdict-first', /First divergent step: (\d+)/);
  expect(first).toBeGreaterThan(15);
  const params = await page.getByTestId('verdict-params').innerText();
  expect(params).toMatch(/over parameters: \d\.\d{4}e[+-]\d{2}$/);
  expect(params).not.toContain('0.0000e+00');
  await expect(page.getByTestId('verdict-why')).toContainText('the optimizer state');
  await expect(page.getByTestId('diff-summary')).toContainText('Non-zero at');
  await expectThreeSeries(page);

  // Export the newest checkpoint and import it back: accepted, nothing else changes.
  const rows = page.locator('.ckpt-table tbody tr');
  await expect(rows).toHaveCount(3);
  const steps = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Export checkpoint at step ${steps.at(-1)}` }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`-step-${steps.at(-1)}\\.ckpt$`));
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe(CHECKPOINT_FILE_MAGIC);
  const importer = field(page, 'Import a checkpoint file into this run');
  await importer.setInputFiles({ name: 'back.ckpt', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByRole('status').filter({ hasText: 'Imported back.ckpt' })).toContainText(`checkpoint of step ${steps.at(-1)}`);

  // Garbage is refused with its error's name; the checkpoints are untouched.
  await importer.setInputFiles({ name: 'garbage.ckpt', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a checkpoint, just some bytes') });
  const error = page.getByRole('log', { name: 'Errors' }).locator('.error').last();
  await expect(error).toContainText('CheckpointCorruptError');
  await expect(error).toContainText('Importing garbage.ckpt');
  await expect(rows).toHaveCount(3);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')))).toEqual(steps);

  // The state inspector shows the pipeline counters of the inspected checkpoint.
  await page.getByRole('button', { name: `Inspect checkpoint at step ${steps[0]}` }).click();
  const inspector = page.getByRole('region', { name: /State inspector/ });
  await expect(inspector).toContainText(`checkpoint at step ${steps[0]}`);
  await expect(inspector.getByLabel('Data pipeline counters')).toContainText('sampler/cursor');
  await expect(inspector).toContainText('model');
});

test('template-mismatch: the resume is refused with a StructureMismatchError naming the paths', async ({ page }) => {
  await page.goto('/?dataset=xor&steps=20&saveEverySteps=5&backend=wasm&pitfall=template-mismatch&speed=max');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await field(page, 'Auto-resume after a crash').check();
  await field(page, 'Crash at step').fill('12');
  await crashAndWaitForReload(page, () => page.getByRole('button', { name: 'Run experiment', exact: true }).click());
  // Auto-resume: no click needed.
  await expect(page.getByTestId('verdict-status')).toHaveText(/Resume refused/, { timeout: 60_000 });
  await expect(page.getByTestId('refused-error')).toContainText('StructureMismatchError');
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('model/dense_0/kernel');
  await expect(page.getByRole('log', { name: 'Errors' })).toContainText('StructureMismatchError');
  await expect(page.getByRole('region', { name: 'Verdict' })).not.toContainText('Bit-exact');
});
