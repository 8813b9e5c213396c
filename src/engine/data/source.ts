/**
 * Where samples come from: a dataset's train and test splits plus a
 * fingerprint, so a checkpoint taken on other data is refused instead of
 * silently resuming a sampler over different rows.
 */
import type { DatasetName } from '../../core/config';
import { xxh32 } from '../../core/hashes';
import { InvalidInputError } from '../../core/errors';
import type { Tree } from '../../core/tree';
import { featureCount, type Split } from './batch';

/** A dataset, loaded and split. */
export interface Source {
  /** Dataset name as in the run config. */
  readonly name: DatasetName;
  /** Number of classes; labels lie in [0, numClasses). */
  readonly numClasses: number;
  /** Shape of one sample: [2] for points, [rows, cols, 1] for digits. */
  readonly sampleShape: number[];
  /** Values per sample (the product of `sampleShape`). */
  readonly features: number;
  /** Samples training draws from. */
  readonly train: Split;
  /** Held-out samples, read by evaluation only. */
  readonly test: Split;
  /** Numbers identifying the data (sizes and a checksum of every value). */
  fingerprint(): Tree;
}

/** What a loader supplies; `defineSource` derives the rest. */
export type SourceSpec = Omit<Source, 'features' | 'fingerprint'>;

function checkSplit(spec: SourceSpec, which: 'train' | 'test', features: number): void {
  const s = spec[which];
  const bad = (why: string) => { throw new InvalidInputError(`${spec.name} ${which} split: ${why}`, { which }); };
  if (!Number.isInteger(s.n) || s.n < 1) bad(`needs at least one sample, got ${s.n}`);
  if (s.x.length !== s.n * features) bad(`x holds ${s.x.length} values, expected ${s.n} × ${features}`);
  if (s.y.length !== s.n) bad(`y holds ${s.y.length} labels, expected ${s.n}`);
  for (let i = 0; i < s.n; i++) {
    if (!(s.y[i] >= 0 && s.y[i] < spec.numClasses)) bad(`label ${s.y[i]} at row ${i} is outside 0..${spec.numClasses - 1}`);
  }
}

/** Checks a loaded dataset and gives it a fingerprint (computed once, on first use). */
export function defineSource(spec: SourceSpec): Source {
  const features = featureCount(spec.sampleShape);
  checkSplit(spec, 'train', features);
  checkSplit(spec, 'test', features);
  let fp: Tree | undefined;
  return {
    ...spec,
    features,
    fingerprint() {
      if (!fp) {
        let sum = 0;
        for (const s of [spec.train, spec.test]) sum = xxh32(s.y, xxh32(s.x, sum));
        fp = { train: spec.train.n, test: spec.test.n, features, classes: spec.numClasses, checksum: sum };
      }
      // A copy, so a caller editing a checkpoint tree cannot change the cached original.
      return { ...fp };
    },
  };
}
