import { describe, expect, it } from 'vitest';
import { SYNTHETIC_SAMPLES_DEFAULT } from '../../core/constants';
import { DATASETS } from '../../core/config';
import { DATASET_CLASSES } from '../../core/config';
import { isSynthetic, syntheticSource, type SyntheticName } from './synthetic';

const NAMES: SyntheticName[] = ['spirals', 'moons', 'circles', 'xor', 'gaussians'];
const CLASSES = { spirals: 3, moons: 2, circles: 2, xor: 2, gaussians: 3 };

describe('synthetic datasets', () => {
  it('pins golden points for spirals, seed 0', () => {
    const s = syntheticSource('spirals', 0, 100);
    // Changing these breaks every saved synthetic checkpoint (the fingerprint moves too).
    expect(Array.from(s.train.x.subarray(0, 6))).toMatchInlineSnapshot(`
      [
        0.23050622642040253,
        -0.6568335294723511,
        -0.2300320416688919,
        -0.3994240462779999,
        -0.09623471647500992,
        0.4290773868560791,
      ]
    `);
    expect(s.fingerprint()).toMatchInlineSnapshot(`
      {
        "checksum": 4266518482,
        "classes": 3,
        "features": 2,
        "test": 20,
        "train": 80,
      }
    `);
  });

  it.each(NAMES)('%s: same seed gives the same bits, another seed other data', (name) => {
    const a = syntheticSource(name, 7, 200);
    expect(Array.from(syntheticSource(name, 7, 200).train.x)).toEqual(Array.from(a.train.x));
    expect(syntheticSource(name, 8, 200).fingerprint().checksum).not.toBe(a.fingerprint().checksum);
  });

  it.each(NAMES)('%s: 80/20 split, balanced finite labelled points', (name) => {
    const s = syntheticSource(name, 0, SYNTHETIC_SAMPLES_DEFAULT);
    expect(s.numClasses).toBe(CLASSES[name]);
    expect(s.sampleShape).toEqual([2]);
    expect([s.train.n, s.test.n]).toEqual([800, 200]);
    for (const split of [s.train, s.test]) {
      const counts = new Array(s.numClasses).fill(0);
      split.y.forEach((c) => counts[c]++);
      for (const c of counts) expect(Math.abs(c - split.n / s.numClasses)).toBeLessThanOrEqual(1);
      expect(split.x.every(Number.isFinite)).toBe(true);
      expect(split.x.every((v) => Math.abs(v) < 3)).toBe(true);
    }
  });

  it('places classes where their shapes say', () => {
    // Mean of f(point) over the train points of one class.
    const classMean = (name: SyntheticName, label: number, f: (px: number, py: number) => number) => {
      const s = syntheticSource(name, 0, 600);
      let sum = 0, n = 0;
      s.train.y.forEach((l, i) => { if (l === label) { sum += f(s.train.x[2 * i], s.train.x[2 * i + 1]); n++; } });
      return sum / n;
    };
    expect(classMean('circles', 0, Math.hypot)).toBeGreaterThan(classMean('circles', 1, Math.hypot) + 0.3);
    expect(classMean('xor', 0, (px, py) => Math.sign(px * py))).toBe(1);
    expect(classMean('xor', 1, (px, py) => Math.sign(px * py))).toBe(-1);
    expect(classMean('gaussians', 0, (_, py) => py)).toBeGreaterThan(0.7);
  });

  it('refuses too few samples and knows which datasets it makes', () => {
    expect(() => syntheticSource('xor', 0, 1)).toThrow(RangeError);
    expect(syntheticSource('xor', 0, 2).train.n).toBe(1);
    expect(isSynthetic('moons')).toBe(true);
    expect(isSynthetic('digits')).toBe(false);
  });
});

describe('DATASET_CLASSES', () => {
  it('says how many classes each dataset has before its data exists: what its source reports, 10 for digits', () => {
    for (const name of DATASETS) {
      if (isSynthetic(name)) expect(DATASET_CLASSES[name]).toBe(syntheticSource(name, 1, 64).numClasses);
      else expect(DATASET_CLASSES[name]).toBe(10);
    }
  });
});
