/**
 * Synthetic 2-D classification datasets, generated from (seed, samples) alone
 * so they never need to be stored: the same config always yields the same bits.
 */
import { DATASET_CLASSES, type DatasetName } from '../../core/config';
import { SYNTHETIC_TEST_FRACTION } from '../../core/constants';
import { RngStream } from '../rng';
import { defineSource, type Source } from './source';

/** Names of the synthetic datasets. */
export type SyntheticName = Exclude<DatasetName, 'digits'>;

type Generator = (label: number, rng: RngStream) => [number, number];

const TAU = 2 * Math.PI;

// Each generator draws one point of a given class; noise levels keep classes
// separable by a small MLP but not by a straight line.
const GENERATORS: Record<SyntheticName, { point: Generator }> = {
  spirals: {
    point: (c, rng) => {
      const t = rng.nextFloat();
      const angle = (TAU / 3) * c + 4 * t + 0.2 * rng.nextNormal();
      return [t * Math.sin(angle), t * Math.cos(angle)];
    },
  },
  moons: {
    point: (c, rng) => {
      const a = Math.PI * rng.nextFloat();
      const [px, py] = c === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
      return [px + 0.1 * rng.nextNormal(), py + 0.1 * rng.nextNormal()];
    },
  },
  circles: {
    point: (c, rng) => {
      const a = TAU * rng.nextFloat();
      const r = c === 0 ? 1 : 0.5;
      return [r * Math.cos(a) + 0.08 * rng.nextNormal(), r * Math.sin(a) + 0.08 * rng.nextNormal()];
    },
  },
  xor: {
    point: (c, rng) => {
      // Class 0 fills quadrants I and III, class 1 quadrants II and IV, with a small gap at the axes.
      const sx = rng.nextFloat() < 0.5 ? -1 : 1;
      const sy = c === 0 ? sx : -sx;
      return [sx * (0.05 + 0.95 * rng.nextFloat()), sy * (0.05 + 0.95 * rng.nextFloat())];
    },
  },
  gaussians: {
    point: (c, rng) => {
      const a = Math.PI / 2 + (TAU / 3) * c;
      return [Math.cos(a) + 0.3 * rng.nextNormal(), Math.sin(a) + 0.3 * rng.nextNormal()];
    },
  },
};

/** True when `name` is a synthetic dataset. */
export function isSynthetic(name: DatasetName): name is SyntheticName {
  return name in GENERATORS;
}

/** Generates `samples` points of `name` from `seed`; the last SYNTHETIC_TEST_FRACTION are the test split. */
export function syntheticSource(name: SyntheticName, seed: number, samples: number): Source {
  const gen = GENERATORS[name];
  const nTest = Math.max(1, Math.round(samples * SYNTHETIC_TEST_FRACTION));
  if (!Number.isInteger(samples) || samples - nTest < 1) {
    throw new RangeError(`syntheticSource: need at least 2 samples, got ${samples}`);
  }
  const rng = RngStream.fromSeed(seed, 'data', name);
  const x = new Float32Array(samples * 2);
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    // Cycling labels keeps both splits balanced whatever their sizes.
    y[i] = i % DATASET_CLASSES[name];
    [x[2 * i], x[2 * i + 1]] = gen.point(y[i], rng);
  }
  const nTrain = samples - nTest;
  return defineSource({
    name,
    numClasses: DATASET_CLASSES[name],
    sampleShape: [2],
    train: { x: x.subarray(0, nTrain * 2), y: y.subarray(0, nTrain), n: nTrain },
    test: { x: x.subarray(nTrain * 2), y: y.subarray(nTrain), n: nTest },
  });
}
