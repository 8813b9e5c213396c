import { describe, expect, it } from 'vitest';
import { CHAOS_DELAY_MAX_MS, CHAOS_DELAY_MIN_MS, chaosDraw, chaosSummary, loadChaos, saveChaos, stepsRedone, type ChaosLog } from './chaos';

function memory() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { m.set(k, v); }, removeItem: (k: string) => { m.delete(k); },
    key: (i: number) => [...m.keys()][i] ?? null, get length() { return m.size; },
  };
}

describe('chaos draws', () => {
  it('are fixed by the seed and the crash number, so a run can be replayed', () => {
    expect(chaosDraw(42, 0)).toEqual(chaosDraw(42, 0));
    expect(chaosDraw(42, 3)).toEqual(chaosDraw(42, 3));
    const a = Array.from({ length: 8 }, (_, n) => chaosDraw(42, n));
    const b = Array.from({ length: 8 }, (_, n) => chaosDraw(43, n));
    expect(a).not.toEqual(b);
  });

  it('land inside the delay window and use both kinds', () => {
    const draws = Array.from({ length: 200 }, (_, n) => chaosDraw(7, n));
    for (const d of draws) expect(d.delayMs >= CHAOS_DELAY_MIN_MS && d.delayMs <= CHAOS_DELAY_MAX_MS).toBe(true);
    const tabs = draws.filter((d) => d.kind === 'tab').length;
    expect(tabs).toBeGreaterThan(60);
    expect(tabs).toBeLessThan(140);
  });
});

describe('chaos log', () => {
  const log: ChaosLog = {
    seed: 9, runId: 'r', done: false,
    crashes: [{ kind: 'tab', atStep: 17, restoredFrom: 10 }, { kind: 'worker', atStep: 31, restoredFrom: 30 }, { kind: 'worker', atStep: 44, restoredFrom: null }],
  };

  it('counts the steps redone by the resumes that started', () => {
    expect(stepsRedone(log)).toBe(8);
    expect(chaosSummary(log)).toBe('3 crashes (1 tab reload, 2 worker kills), 8 steps redone, seed 9');
  });

  it('round-trips through storage, and reads garbage as off', () => {
    const kv = memory();
    saveChaos(log, kv);
    expect(loadChaos(kv)).toEqual(log);
    saveChaos(null, kv);
    expect(loadChaos(kv)).toBeNull();
    kv.setItem('resumable:chaos', '{not json');
    expect(loadChaos(kv)).toBeNull();
  });
});
