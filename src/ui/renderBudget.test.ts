import { describe, expect, it } from 'vitest';
import { CHECKPOINT_LIST_REFRESH_MS, UI_BATCH_MS } from '../core/constants';
import { FRAME_COMMITS_PER_RUN_MAX, renderBudget, renderBudgetProblems } from './renderBudget';
import type { RenderCounts } from './renderProbe';

const counts = (commits: Record<string, number>, publishes = 0): RenderCounts => ({ commits, publishes, eventBatches: 0, stepEvents: 0 });

describe('renderBudget', () => {
  it('allows a chart frame a constant number of commits, however long the run', () => {
    expect(renderBudget(1_000)['loss-frame']).toBe(FRAME_COMMITS_PER_RUN_MAX);
    expect(renderBudget(1_000_000)['loss-frame']).toBe(FRAME_COMMITS_PER_RUN_MAX);
  });

  it('lets the live parts and the checkpoint panels grow with run time at their throttle rates', () => {
    const a = renderBudget(10_000), b = renderBudget(20_000);
    expect(b['loss-layer'] - a['loss-layer']).toBe(10_000 / UI_BATCH_MS);
    expect(b.publishes - a.publishes).toBe(10_000 / UI_BATCH_MS);
    expect(b.checkpoints - a.checkpoints).toBe((2 * 10_000) / CHECKPOINT_LIST_REFRESH_MS);
  });

  it('names every part over its budget, with the count and the allowance', () => {
    const b = renderBudget(2_000);
    expect(renderBudgetProblems(counts({ 'loss-frame': 0, 'loss-layer': b['loss-layer'], checkpoints: b.checkpoints }, b.publishes), 2_000)).toEqual([]);
    expect(renderBudgetProblems(counts({ 'loss-frame': FRAME_COMMITS_PER_RUN_MAX + 1, inspector: b.inspector + 1 }, b.publishes + 1), 2_000)).toEqual([
      { part: 'loss-frame', count: FRAME_COMMITS_PER_RUN_MAX + 1, allowed: FRAME_COMMITS_PER_RUN_MAX },
      { part: 'inspector', count: b.inspector + 1, allowed: b.inspector },
      { part: 'publishes', count: b.publishes + 1, allowed: b.publishes },
    ]);
  });
});
