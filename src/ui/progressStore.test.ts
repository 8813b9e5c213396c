import { describe, expect, it } from 'vitest';
import { PROGRESS_RUNS_KEPT } from '../core/constants';
import { DEFAULT_CONFIG } from '../core/config';
import { clearAllProgress, lastRunId, loadAutoResume, loadProgress, removeProgress, saveAutoResume, saveProgress, type KeyValue, type RunProgress } from './progressStore';

function memory(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() { return map.size; },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const progress = (runId: string): RunProgress => ({
  v: 2, runId, config: DEFAULT_CONFIG,
  curves: { reference: [0.5, 0.25], checkpointed: [0.5], resumed: [] },
  restoreStep: null, crashAtStep: null, checkpoints: [], phase: 'checkpointed', step: 1, crash: null, done: false, updatedAtMs: 0,
});

describe('progressStore', () => {
  it('round-trips losses exactly, holes included', () => {
    const kv = memory();
    const p = progress('a');
    p.curves.resumed[3] = 0.1 + 0.2;
    expect(saveProgress(p, kv)).toBe(true);
    const back = loadProgress('a', kv)!;
    expect(back.curves.reference).toEqual([0.5, 0.25]);
    expect(back.curves.resumed[3]).toBe(0.1 + 0.2);
    expect(back.curves.resumed[0]).toBeUndefined();
    expect(lastRunId(kv)).toBe('a');
  });

  it('keeps only the most recently written runs', () => {
    const kv = memory();
    for (let i = 0; i < PROGRESS_RUNS_KEPT + 2; i++) saveProgress(progress(`r${i}`), kv);
    // Rewriting r1 makes it the newest again.
    saveProgress(progress('r1'), kv);
    expect(loadProgress('r0', kv)).toBeNull();
    expect(loadProgress('r1', kv)).not.toBeNull();
    expect(loadProgress('r2', kv)).toBeNull();
    expect(loadProgress(`r${PROGRESS_RUNS_KEPT + 1}`, kv)).not.toBeNull();
  });

  it('returns null for unreadable or foreign records and forgets runs', () => {
    const kv = memory();
    kv.setItem('resumable:progress:x', '{not json');
    expect(loadProgress('x', kv)).toBeNull();
    kv.setItem('resumable:progress:old', JSON.stringify({ ...progress('old'), v: 1 }));
    expect(loadProgress('old', kv)).toBeNull();
    saveProgress(progress('b'), kv);
    removeProgress('b', kv);
    expect(loadProgress('b', kv)).toBeNull();
    expect(lastRunId(kv)).toBeNull();
    saveProgress(progress('c'), kv);
    clearAllProgress(kv);
    expect(kv.map.size).toBe(0);
  });

  it('reports a refused write instead of throwing', () => {
    const kv = memory();
    kv.setItem = () => { throw new Error('QuotaExceededError'); };
    expect(saveProgress(progress('d'), kv)).toBe(false);
  });

  it('remembers auto-resume', () => {
    const kv = memory();
    expect(loadAutoResume(kv)).toBe(false);
    saveAutoResume(true, kv);
    expect(loadAutoResume(kv)).toBe(true);
  });
});
