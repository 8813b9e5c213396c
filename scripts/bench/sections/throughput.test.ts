import { describe, expect, it } from 'vitest';
import { ceilingGflops } from './ceiling';
import { throughputRow, throughputVerdicts } from './throughput';

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
    const [verdict] = throughputVerdicts([row]);
    expect(verdict.target).toBe('engine ÷ plain ≥ 0.95 (wasm, spirals-mlp)');
    expect(verdict.met).toBe(false);
    expect(verdict.detail).toBe("0.900 (repetitions 0.90–0.95; data pipeline 10% of the engine's step)");
  });

  it('marks a missing measurement instead of inventing figures, and gives it no verdict', () => {
    const row = throughputRow({ backend: 'wasm', model: 'digits-cnn', status: 'unsupported', note: 'no kernel', flopsPerStep: 1 }, undefined);
    expect(row.status).toBe('unsupported');
    expect(row.ratio).toBeNaN();
    expect(row.meetsTarget).toBe(false);
    expect(throughputVerdicts([row])).toEqual([]);
  });
});

describe('ceilingGflops', () => {
  it('computes a matmul ceiling from the median time', () => {
    expect(ceilingGflops({ n: 1000, ms: [2000] })).toBeCloseTo(1, 12);
    expect(ceilingGflops({ n: 1000, ms: [1000, 5000, 1000] })).toBeCloseTo(2, 12);
  });
});
