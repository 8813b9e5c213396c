import { describe, expect, it } from 'vitest';
import { cpuRows } from './cpu';

describe('cpuRows', () => {
  const groups = (training: number, writer: number, browser: number) => ({
    'training thread': training, 'writer worker': writer, 'renderer, other threads': 0, 'browser process': browser, 'GPU process': 0, 'other processes': 0,
  });
  it('gives each group\'s CPU per step either way and the extra per checkpoint, dropping idle groups', () => {
    const rows = cpuRows({
      backend: 'wasm', model: 'spirals-mlp', runs: [
        { every: 10, steps: 1000, wallMs: 1700, cpuMs: groups(1600, 120, 300) },
        { every: 0, steps: 1000, wallMs: 1500, cpuMs: groups(1500, 0, 0) },
        { every: 0, steps: 1000, wallMs: 1500, cpuMs: groups(1500, 0, 0) },
        { every: 10, steps: 1000, wallMs: 1700, cpuMs: groups(1600, 80, 100) },
      ],
    });
    expect(rows.map((r) => r.group)).toEqual(['training thread', 'writer worker', 'browser process', 'all threads', 'wall time']);
    const by = Object.fromEntries(rows.map((r) => [r.group, r]));
    expect(by['training thread'].perStepNever).toBeCloseTo(1.5, 12);
    expect(by['training thread'].perCheckpoint).toBeCloseTo(1, 12);
    expect(by['writer worker'].perStepEvery10).toBeCloseTo(0.1, 12);
    expect(by['writer worker'].perCheckpoint).toBeCloseTo(1, 12);
    expect(by['browser process'].perCheckpoint).toBeCloseTo(2, 12);
    expect(by['all threads'].perCheckpoint).toBeCloseTo(4, 12);
    expect(by['wall time'].perCheckpoint).toBeCloseTo(2, 12);
  });

  it('refuses runs without a baseline', () => {
    expect(() => cpuRows({ backend: 'wasm', model: 'spirals-mlp', runs: [{ every: 10, steps: 10, wallMs: 1, cpuMs: groups(1, 1, 1) }] })).toThrow(/no run with every = 0/);
  });
});
