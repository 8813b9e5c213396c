import { describe, expect, it } from 'vitest';
import type { OverheadRun } from '../../src/bench/protocol';
import { ceilingGflops, cpuRows, fmt, fmtBytes, growthRow, mdTable, overheadRows, storageRow, summarize, tables, throughputRow, type BenchResults } from './bench-report';

const run = (over: Partial<OverheadRun>): OverheadRun => ({
  every: 0, yieldEveryStep: true, loopMs: [100, 100, 100], totalMs: [100, 100, 100], snapshotMs: [], encodeMs: [], commitMs: [],
  stepMs: [1, 1, 1], pendingAtLoopEnd: [0, 0, 0], maxStepsAtRisk: [100, 100, 100], savesPerRep: 0, ...over,
});

describe('throughputRow', () => {
  it('reports engine ÷ plain steps/s, paired, and the achieved share of the ceiling', () => {
    const row = throughputRow({
      backend: 'wasm', model: 'spirals-mlp', status: 'ok', flopsPerStep: 1e6,
      result: { steps: 10, engineMs: [100, 200, 100], plainMs: [90, 180, 95], pipelineMs: [10, 20, 10], firstStepMs: 5, paramCount: 1, plainParamCount: 1, calibrationStepMs: 10, tensorGrowth: 0 },
    }, { n: 1000, ms: [1000, 1000, 1000] });
    expect(row.engineStepsPerSec).toBe(100);
    expect(row.ratio).toBeCloseTo(0.9, 12);
    expect(row.ratioRange[0]).toBeCloseTo(0.9, 12);
    expect(row.ratioRange[1]).toBeCloseTo(0.95, 12);
    expect(row.meetsTarget).toBe(false);
    expect(row.pipelineShare).toBeCloseTo(0.1, 12);
    expect(row.achievedGflops).toBeCloseTo(0.1, 12);
    expect(row.ceilingGflops).toBeCloseTo(2, 12);
  });

  it('marks a missing measurement instead of inventing figures', () => {
    const row = throughputRow({ backend: 'wasm', model: 'digits-cnn', status: 'unsupported', note: 'no kernel', flopsPerStep: 1 }, undefined);
    expect(row.status).toBe('unsupported');
    expect(row.ratio).toBeNaN();
    expect(row.meetsTarget).toBe(false);
  });
});

describe('overheadRows', () => {
  it('compares every interval with the app\'s loop without checkpoints, and counts steps at risk', () => {
    const rows = overheadRows({
      backend: 'wasm', model: 'spirals-mlp',
      result: {
        steps: 100, bytes: 1000, runs: [
          run({}),
          run({ every: 10, loopMs: [104, 104, 104], totalMs: [110, 120, 130], snapshotMs: [0.5, 0.5], encodeMs: [0.25, 0.25], commitMs: [5, 5], pendingAtLoopEnd: [10, 10, 5], maxStepsAtRisk: [100, 11, 100], savesPerRep: 10 }),
        ],
      },
    });
    expect(rows).toHaveLength(2);
    const ten = rows[1];
    expect(ten.ratioLoop).toBeCloseTo(100 / 104, 12);
    expect(ten.ratioDrained).toBeCloseTo(100 / 120, 12);
    expect(ten.blockedMs).toBe(0.75);
    expect(ten.pendingShare).toBe(1);
    expect(ten.stepsAtRisk).toBe(100);
    expect(ten.meetsTarget).toBe(false);
  });

  it('refuses results without a baseline', () => {
    expect(() => overheadRows({ backend: 'cpu', model: 'spirals-mlp', result: { steps: 1, bytes: 1, runs: [run({ every: 1 })] } })).toThrow(/no run without checkpoints/);
  });
});

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

describe('storageRow', () => {
  it('reports commit throughput over raw put throughput, and the IndexedDB part alone', () => {
    const row = storageRow({
      backend: 'cpu', model: 'digits-mlp', status: 'ok',
      result: { bytes: 2e6, tensorCount: 3, commitMs: [20, 20, 20], commitInThreadMs: [16, 15, 15], encodeMs: [5, 5, 5], rawStrictMs: [12, 12, 12], rawRelaxedMs: [8, 8, 8], rawGetPutMs: [14, 14, 14] },
    });
    expect(row.ratio).toBeCloseTo(0.6, 12);
    expect(row.inThreadMs).toBe(15);
    expect(row.inThreadRatio).toBeCloseTo(0.8, 12);
    expect(row.idbRatio).toBeCloseTo(12 / 15, 12);
    expect(row.commitMBps).toBeCloseTo(100, 9);
    expect(row.meetsTarget).toBe(false);
  });
});

describe('growthRow', () => {
  it('sums read, verify and load into the restore time and rates the commit against the raw put', () => {
    const row = growthRow({
      hidden: [10, 10], params: 1000, bytes: 4e6, stepMs: 1,
      snapshotMs: [1, 2, 3], encodeMs: [1, 1, 1], commitMs: [40, 40, 40], readMs: [3, 3, 3], verifyMs: [2, 2, 2], loadMs: [1, 1, 9],
      managerRestoreMs: [5, 5, 5], rawPutMs: [20, 20, 20], copyMs: [0.5, 0.5, 0.5], checksumMs: [0.5, 0.5, 0.5],
    });
    expect(row.restoreMs).toBe(6);
    expect(row.snapshotMs).toBe(2);
    expect(row.commitOverRaw).toBe(0.5);
    expect(row.rawMBps).toBeCloseTo(200, 9);
  });
});

describe('summarize', () => {
  it('puts a verdict on each target that was measured', () => {
    const res: BenchResults = {
      meta: {} as BenchResults['meta'], throughput: [], ceilings: [], restore: [], growth: null, longTasks: [], problems: [],
      storage: [{ backend: 'cpu', model: 'spirals-mlp', status: 'ok', result: { bytes: 1e5, tensorCount: 1, commitMs: [10], commitInThreadMs: [10], encodeMs: [1], rawStrictMs: [9], rawRelaxedMs: [5], rawGetPutMs: [9] } }],
      overhead: [],
    };
    const s = summarize(res);
    expect(s.verdicts).toHaveLength(1);
    expect(s.verdicts[0].met).toBe(true);
    expect(s.storageCeilingMBps).toBeCloseTo(1e5 / 1e6 / 0.009, 9);
  });
});

describe('tables', () => {
  const res = (sections?: string[]): BenchResults => ({
    meta: { sections } as BenchResults['meta'], throughput: [], ceilings: [], restore: [], growth: null, longTasks: [], problems: [], storage: [], overhead: [],
  });

  it('renders only the sections --only ran', () => {
    const r = res(['storage', 'growth']);
    expect(tables(summarize(r), r).map((t) => t.section)).toEqual(['storage', 'growth']);
  });

  it('renders every section for results that predate --only', () => {
    const r = res();
    expect(tables(summarize(r), r).map((t) => t.section)).toEqual(['throughput', 'overhead', 'storage', 'restore', 'growth', 'longtasks', 'ceiling']);
  });
});

describe('formatting', () => {
  it('formats numbers, bytes and Markdown tables', () => {
    expect(fmt(NaN)).toBe('—');
    expect(fmt(0.012345)).toBe('0.0123');
    expect(fmt(12345.6)).toBe('12346');
    expect(fmtBytes(2048)).toBe('2.0 KiB');
    expect(mdTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
  });

  it('computes a matmul ceiling', () => {
    expect(ceilingGflops({ n: 1000, ms: [2000] })).toBeCloseTo(1, 12);
  });
});
