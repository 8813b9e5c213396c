import { describe, expect, it } from 'vitest';
import { RngStream } from '../rng';
import { gatherBatch } from './batch';
import { Noise } from './noise';
import { syntheticSource } from './synthetic';
import { randomStageContract } from './testing';

const source = syntheticSource('spirals', 0, 100);
const input = () => gatherBatch(source.train, Int32Array.from([0, 5, 9, 33]), [2]);

describe('Noise', () => {
  randomStageContract((rng) => new Noise(0.1, rng), input);

  it('adds noise of the requested standard deviation', () => {
    const zeros = { x: new Float32Array(20000), y: new Int32Array(10000), shape: [2], indices: new Int32Array(10000) };
    const x = new Noise(0.5, RngStream.fromSeed(0, 'n')).apply(zeros).x;
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
  });

  it('passes inputs through at sigma 0 but still advances its stream at the same pace', () => {
    const stage = new Noise(0, RngStream.fromSeed(0, 'n'));
    expect(Array.from(stage.apply(input()).x)).toEqual(Array.from(input().x));
    const noisy = new Noise(0.3, RngStream.fromSeed(0, 'n'));
    noisy.apply(input());
    // 8 values, two words per normal.
    expect(stage.getState().counter).toBe(16);
    expect(noisy.getState().counter).toBe(16);
  });

  it('refuses a negative or non-finite sigma', () => {
    expect(() => new Noise(-1, RngStream.fromSeed(0, 'n'))).toThrow(RangeError);
    expect(() => new Noise(NaN, RngStream.fromSeed(0, 'n'))).toThrow(RangeError);
  });
});
