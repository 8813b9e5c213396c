import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../../engine/model';
import { useCpuBackend } from '../../engine/testing';
import { forwardFlops, matmulFlops, matmulLayers, mlpWidthForParams, parameterCount, trainStepFlops, type ModelShape } from './flops';
import { benchConfig, shapeOf } from './models';

beforeAll(useCpuBackend);

const digits = (model: 'mlp' | 'cnn', hidden: number[]): ModelShape => ({ model, hidden, sampleShape: [28, 28, 1], numClasses: 10 });

describe('FLOP counting', () => {
  it('counts 2·m·k·n for one matmul', () => {
    expect(matmulFlops(2, 3, 4)).toBe(48);
  });

  it('counts the spirals MLP by hand: 2→32→32→3 at batch 32', () => {
    const shape: ModelShape = { model: 'mlp', hidden: [32, 32], sampleShape: [2], numClasses: 3 };
    const fwd = 2 * 32 * (2 * 32 + 32 * 32 + 32 * 3);
    expect(forwardFlops(shape, 32)).toBe(fwd);
    expect(trainStepFlops(shape, 32)).toBe(3 * fwd);
  });

  it('counts convolutions as im2col matmuls: 28×28 then 14×14 after pooling', () => {
    const layers = matmulLayers(digits('cnn', [32]));
    expect(layers.map((l) => [l.name, l.rowsPerSample, l.k, l.n])).toEqual([
      ['conv_0', 784, 9, 8],
      ['conv_1', 196, 72, 16],
      ['dense_0', 1, 7 * 7 * 16, 32],
      ['out', 1, 32, 10],
    ]);
    const b = 4;
    expect(forwardFlops(digits('cnn', [32]), b)).toBe(2 * b * (784 * 9 * 8 + 196 * 72 * 16 + 784 * 32 + 32 * 10));
  });
});

describe('parameter counts match the engine', () => {
  it.each([
    ['spirals MLP', 'spirals-mlp'],
    ['digits MLP', 'digits-mlp'],
    ['digits CNN', 'digits-cnn'],
  ] as const)('%s', (_, key) => {
    const config = benchConfig(key, 'cpu');
    const shape = shapeOf(config);
    const model = Model.create(config, { sampleShape: [...shape.sampleShape], numClasses: shape.numClasses });
    try {
      expect(parameterCount(shape)).toBe(model.parameterCount);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('mlpWidthForParams', () => {
  it('finds the width whose count is closest to the target', () => {
    for (const target of [1e4, 1e5, 1e6, 1e7]) {
      const w = mlpWidthForParams(target, 2, [28, 28, 1], 10);
      const count = (x: number) => parameterCount(digits('mlp', [x, x]));
      expect(Math.abs(count(w) - target)).toBeLessThanOrEqual(Math.abs(count(w - 1) - target));
      expect(Math.abs(count(w) - target)).toBeLessThanOrEqual(Math.abs(count(w + 1) - target));
      expect(Math.abs(count(w) / target - 1)).toBeLessThan(0.05);
    }
  });

  it('never goes below one unit', () => {
    expect(mlpWidthForParams(1, 1, [2], 3)).toBe(1);
  });
});
