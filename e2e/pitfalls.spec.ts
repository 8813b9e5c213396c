/**
 * Negative controls: each classic checkpointing mistake, reproduced through
 * the real page with a real SIGKILL, must diverge or fail with a clear error,
 * never pass. Run on wasm, where steps are cheap; the mistakes do not depend
 * on the backend.
 */
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type Pitfall, type RunConfig } from '../src/core/config';
import { runThreePhase } from '../scripts/lib/three-phase';

const config: RunConfig = { ...DEFAULT_CONFIG, backend: 'wasm', steps: 30, saveEverySteps: 5 };

const DIVERGING: Pitfall[] = ['omit-optimizer', 'omit-pipeline', 'omit-update', 'tfjs-setweights'];

for (const pitfall of DIVERGING) {
  test(`pitfall ${pitfall} diverges from the reference`, async ({ baseURL }) => {
    const lines: string[] = [];
    const report = await runThreePhase({ url: baseURL!, config: { ...config, pitfall }, crashAtStep: 15, log: (l) => lines.push(l) });
    expect(report.error).toBeNull();
    const v = report.resume!.verdict!;
    expect(report.exact).toBe(false);
    expect(v.maxParamDiff).toBeGreaterThan(0);
    // Everything before the restore point is the same run; the divergence starts after it.
    expect(v.firstDivergentStep).toBeGreaterThan(15);
    expect(lines.join('\n')).toContain('Determinism check FAILED');
  });
}

test('pitfall template-mismatch is refused with a StructureMismatchError naming the paths', async ({ baseURL }) => {
  const lines: string[] = [];
  const report = await runThreePhase({ url: baseURL!, config: { ...config, pitfall: 'template-mismatch' }, crashAtStep: 15, log: (l) => lines.push(l) });
  expect(report.exact).toBe(false);
  expect(report.error?.name).toBe('StructureMismatchError');
  expect(report.error?.message).toContain('model/dense_0/kernel');
  expect(lines.join('\n')).toContain('Resume refused: StructureMismatchError');
});
