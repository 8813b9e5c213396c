/**
 * The configuration lives in the URL: a shared link fills the controls,
 * changing a control rewrites the link, and invalid values are refused next
 * to their field with the reason. No training here.
 */
import { expect, test } from '@playwright/test';

test('a shared URL fills the controls; changing a control updates the URL', async ({ page }) => {
  await page.goto('/?dataset=moons&hidden=16x8&optimizer=momentum&lr=0.05&batch=16&seed=7&steps=35&saveEverySteps=5&maxToKeep=2&backend=wasm&inputNoise=0&pitfall=omit-pipeline');
  await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('moons');
  await expect(page.getByLabel('Hidden widths', { exact: true })).toHaveValue('16, 8');
  await expect(page.getByLabel('Optimizer', { exact: true })).toHaveValue('momentum');
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.05');
  await expect(page.getByLabel('Batch size', { exact: true })).toHaveValue('16');
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('7');
  await expect(page.getByLabel('Total steps', { exact: true })).toHaveValue('35');
  await expect(page.getByLabel('Checkpoint every (steps)', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('Checkpoints kept', { exact: true })).toHaveValue('2');
  await expect(page.getByLabel('Backend', { exact: true })).toHaveValue('wasm');
  await expect(page.getByLabel('Input noise (σ)', { exact: true })).toHaveValue('0');
  // Absent parameters take the defaults.
  await expect(page.getByLabel('Activation', { exact: true })).toHaveValue('tanh');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mlp');
  await expect(page.getByRole('radio', { name: 'Forget the data pipeline' })).toBeChecked();
  // The engine starts on the linked backend.
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });

  await page.getByLabel('Dataset', { exact: true }).selectOption('circles');
  await expect.poll(() => new URL(page.url()).searchParams.get('dataset')).toBe('circles');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.2');
  await expect.poll(() => new URL(page.url()).searchParams.get('lr')).toBe('0.2');
  await page.getByLabel('Hidden widths', { exact: true }).fill('64, 32, 16');
  await expect.poll(() => new URL(page.url()).searchParams.get('hidden')).toBe('64x32x16');
  await page.getByRole('radio', { name: 'None: the correct restore' }).check();
  await expect.poll(() => new URL(page.url()).searchParams.has('pitfall')).toBe(false);

  // The rewritten link reproduces the configuration in a new page.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByLabel('Dataset', { exact: true })).toHaveValue('circles');
  await expect(other.getByLabel('Learning rate', { exact: true })).toHaveValue('0.2');
  await expect(other.getByLabel('Hidden widths', { exact: true })).toHaveValue('64, 32, 16');
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('7');
  await other.close();
});

test('invalid values are refused next to the field with the reason', async ({ page }) => {
  await page.goto('/?lr=-1&model=cnn&dataset=moons&backend=wasm');
  const lr = page.getByLabel('Learning rate', { exact: true });
  await expect(lr).toHaveAttribute('aria-invalid', 'true');
  await expect(lr).toHaveAccessibleDescription(/learning rate must be above 0/);
  await expect(page.getByLabel('Model', { exact: true })).toHaveAccessibleDescription(/CNN needs images/);
  await expect(page.getByRole('button', { name: 'Run experiment', exact: true })).toBeDisabled();

  await lr.fill('0.01');
  await expect(lr).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  await page.getByLabel('Batch size', { exact: true }).fill('0');
  await expect(page.getByLabel('Batch size', { exact: true })).toHaveAccessibleDescription(/whole number from 1 to 1024/);
  await page.getByLabel('Batch size', { exact: true }).fill('32');
  await page.getByLabel('Crash at step', { exact: true }).fill('500');
  await expect(page.getByLabel('Crash at step', { exact: true })).toHaveAccessibleDescription(/the run has 60 steps, so at most 59/);
  await page.getByLabel('Crash at step', { exact: true }).fill('');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Run experiment', exact: true })).toBeEnabled();
});
