/**
 * What the model sees: test digits with predicted labels (wrong ones marked
 * in words, not colour alone) for MNIST, and the decision-boundary canvas for
 * 2-D data; the state inspector shows the pipeline's counters. wasm, few steps.
 */
import { expect, test } from '@playwright/test';

test('digits: a grid of test images with predicted labels, wrong ones marked', async ({ page }) => {
  await page.goto('/?dataset=digits&model=mlp&hidden=32&activation=relu&lr=0.003&batch=32&steps=20&saveEverySteps=10&backend=wasm&inputNoise=0.1&speed=max');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('reached step 20 without a crash', { timeout: 90_000 });
  const task = page.getByRole('region', { name: /What the model sees/ });
  await expect(task).toContainText(/Test accuracy \d+\.\d%/);
  const cells = task.locator('ul.digits > li');
  await expect(cells).toHaveCount(24);
  const texts = await cells.allInnerTexts();
  for (const t of texts) expect(t).toMatch(/^(✓ \d|✗ \d \(is \d\))$/);
  const wrong = texts.filter((t) => t.startsWith('✗')).length;
  await expect(task).toContainText(`${wrong} of 24 shown are wrong`);
  await expect(task.locator('li.wrong')).toHaveCount(wrong);

  const inspector = page.getByRole('region', { name: /State inspector/ });
  await expect(inspector).toContainText('checkpoint at step 20');
  const counters = inspector.getByLabel('Data pipeline counters');
  await expect(counters).toContainText('sampler/epoch');
  await expect(counters).toContainText('sampler/cursor');
  await expect(counters).toContainText('stages/noise/counter');
  await expect(inspector).toContainText('checksum ok');
});

test('2-D data: the decision boundary is drawn over the test points', async ({ page }) => {
  await page.goto('/?dataset=circles&steps=20&saveEverySteps=10&backend=wasm&speed=max');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run experiment', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('reached step 20 without a crash', { timeout: 90_000 });
  const canvas = page.getByRole('img', { name: /Decision boundary at step 20: .* over 200 test points/ });
  await expect(canvas).toBeVisible();
  // Something was drawn: the canvas is not blank.
  const distinct = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  expect(distinct).toBeGreaterThan(3);
});
