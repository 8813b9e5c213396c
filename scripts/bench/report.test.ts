import { describe, expect, it } from 'vitest';
import { renderPlots, renderText, summarize, tables } from './report';
import type { BenchResults } from './results';

const empty = (sections?: string[]): BenchResults => ({
  meta: { sections } as BenchResults['meta'], throughput: [], ceilings: [], restore: [], growth: null, longTasks: [], problems: [], storage: [], overhead: [],
});

describe('summarize', () => {
  it('puts a verdict on each target that was measured, and takes the best raw put as the storage ceiling', () => {
    const res: BenchResults = {
      ...empty(),
      storage: [{ backend: 'cpu', model: 'spirals-mlp', status: 'ok', result: { bytes: 1e5, tensorCount: 1, commitMs: [10], commitInThreadMs: [10], encodeMs: [1], rawStrictMs: [9], rawRelaxedMs: [5], rawGetPutMs: [9] } }],
    };
    const s = summarize(res);
    expect(s.verdicts).toHaveLength(1);
    expect(s.verdicts[0].met).toBe(true);
    expect(s.verdicts[0].detail.startsWith('0.900 ')).toBe(true);
    expect(s.storageCeilingMBps).toBeCloseTo(1e5 / 1e6 / 0.009, 9);
  });

  it('has no storage ceiling and no verdicts when nothing was measured', () => {
    const s = summarize(empty());
    expect(s.storageCeilingMBps).toBeNull();
    expect(s.verdicts).toEqual([]);
    expect(renderPlots(empty(), s)).toEqual({});
  });
});

describe('tables', () => {
  it('renders only the sections --only ran', () => {
    const r = empty(['storage', 'growth']);
    expect(tables(summarize(r), r).map((t) => t.section)).toEqual(['storage', 'growth']);
  });

  it('renders every section for results that predate --only, 2b only when it has rows', () => {
    const r = empty();
    expect(tables(summarize(r), r).map((t) => t.section)).toEqual(['throughput', 'overhead', 'storage', 'restore', 'growth', 'longtasks', 'ceiling']);
    const withCpu: BenchResults = {
      ...r,
      cpu: [{
        backend: 'wasm', model: 'spirals-mlp', runs: [0, 10].map((every) => ({
          every, steps: 100, wallMs: 100, cpuMs: { 'training thread': 100, 'writer worker': 0, 'renderer, other threads': 0, 'browser process': 0, 'GPU process': 0, 'other processes': 0 },
        })),
      }],
    };
    expect(tables(summarize(withCpu), withCpu).map((t) => t.title.slice(0, 3))).toEqual(['1. ', '2. ', '2b.', '3a.', '3b.', '4. ', '5. ', '6. ']);
  });

  it('lists problems after the targets in the text report', () => {
    const r = { ...empty(['storage']), problems: ['storage digits-cnn: boom'] };
    const text = renderText(r, summarize(r));
    expect(text).toMatch(/^3a\. Storage/);
    expect(text.endsWith('Targets:\n\nProblems:\n  storage digits-cnn: boom')).toBe(true);
  });
});
