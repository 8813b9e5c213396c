import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, assertValidConfig, configProblems, stateFingerprint } from './config';
import { InvalidInputError } from './errors';

describe('run config', () => {
  it('accepts the defaults', () => {
    expect(configProblems(DEFAULT_CONFIG)).toEqual([]);
  });

  it('names every bad field with a reason', () => {
    const problems = configProblems({ ...DEFAULT_CONFIG, lr: 0, batch: 0.5, hidden: [], steps: -1 });
    expect(problems.map((p) => p.field).sort()).toEqual(['batch', 'hidden', 'lr', 'steps']);
    expect(() => assertValidConfig({ ...DEFAULT_CONFIG, lr: -1 })).toThrow(InvalidInputError);
  });

  it('refuses a CNN without images, and a CNN on wasm (no convolution gradient kernel there)', () => {
    expect(configProblems({ ...DEFAULT_CONFIG, model: 'cnn' }).map((p) => p.field)).toContain('model');
    expect(configProblems({ ...DEFAULT_CONFIG, model: 'cnn', dataset: 'digits', backend: 'wasm' }).map((p) => p.field)).toEqual(['backend']);
    expect(configProblems({ ...DEFAULT_CONFIG, model: 'cnn', dataset: 'digits', backend: 'webgpu' })).toEqual([]);
  });

  it('fingerprints what shapes the state, not the seed or schedule', () => {
    const a = stateFingerprint(DEFAULT_CONFIG);
    expect(stateFingerprint({ ...DEFAULT_CONFIG, seed: 7, steps: 9, saveEverySteps: 3 })).toEqual(a);
    expect(stateFingerprint({ ...DEFAULT_CONFIG, hidden: [64, 64] })).not.toEqual(a);
    expect(stateFingerprint({ ...DEFAULT_CONFIG, batch: 64 })).not.toEqual(a);
  });
});
