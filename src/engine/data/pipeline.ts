/**
 * The data pipeline: source → sampler → stages → batches.
 *
 * Its checkpoint is the source fingerprint, the sampler position and the
 * stream of every stochastic stage; restoring it makes the next batch the one
 * an uninterrupted run would have produced, bit for bit.
 */
import type { RunConfig } from '../../core/config';
import { InvalidInputError, StructureMismatchError } from '../../core/errors';
import { RngStream } from '../rng';
import type { Tree } from '../../core/tree';
import { gatherBatch, type Batch } from './batch';
import { Jitter } from './jitter';
import { parseMnistAsset } from './mnist';
import { Noise } from './noise';
import { Normalize } from './normalize';
import { Sampler } from './sampler';
import { Shift } from './shift';
import type { Source } from './source';
import { RandomStage, readInt, readSubtree, type Stage, type Stateful } from './state';
import { isSynthetic, syntheticSource } from './synthetic';

/** Loads the dataset a config names; digits need the asset bytes (fetched by the caller). */
export function makeSource(config: RunConfig, mnistBytes?: Uint8Array): Source {
  if (isSynthetic(config.dataset)) return syntheticSource(config.dataset, config.seed, config.samples);
  if (!mnistBytes) throw new InvalidInputError('The digits dataset needs the MNIST asset, and none was loaded', { dataset: config.dataset });
  return parseMnistAsset(mnistBytes);
}

/** Batches for training and the test split for evaluation, with checkpointable state. */
export class Pipeline implements Stateful {
  private delivered = 0;
  private readonly random: RandomStage[];

  private constructor(
    /** The data batches are drawn from. */
    readonly source: Source,
    /** Samples per training batch. */
    readonly batchSize: number,
    private readonly sampler: Sampler,
    private readonly stages: Stage[],
  ) {
    this.random = stages.filter((s): s is RandomStage => s instanceof RandomStage);
  }

  /**
   * Wires the stages for the source: points get normalize → jitter → noise;
   * digits get shift → normalize → noise (shifting first, so the zero fill is
   * the true background). Every stream is split by name from `config.seed`.
   */
  static create(config: RunConfig, source: Source): Pipeline {
    if (config.dataset !== source.name) {
      throw new InvalidInputError(`The config asks for ${config.dataset} but the source holds ${source.name}`, { dataset: config.dataset });
    }
    if (!(Number.isInteger(config.batch) && config.batch >= 1)) {
      throw new InvalidInputError(`The batch size must be a whole number ≥ 1, got ${config.batch}`, { batch: config.batch });
    }
    const stream = (...names: string[]) => RngStream.fromSeed(config.seed, 'data', ...names);
    const isImage = source.sampleShape.length === 3;
    const normalize = new Normalize(source.train, source.sampleShape, !isImage);
    const noise = new Noise(config.inputNoise, stream('stage', 'noise'));
    const stages = isImage
      ? [new Shift(stream('stage', 'shift')), normalize, noise]
      : [normalize, new Jitter(stream('stage', 'jitter')), noise];
    return new Pipeline(source, config.batch, new Sampler(source.train.n, stream('shuffle')), stages);
  }

  /** Training batches delivered so far. */
  get position(): number { return this.delivered; }

  /** Epoch of the next training sample. */
  get epoch(): number { return this.sampler.epoch; }

  /** The next training batch. */
  next(): Batch {
    let batch = gatherBatch(this.source.train, this.sampler.take(this.batchSize), this.source.sampleShape);
    for (const stage of this.stages) batch = stage.apply(batch);
    this.delivered++;
    return batch;
  }

  /** A whole split through the deterministic stages only, so evaluation never advances a training stream. */
  evalBatch(split: 'train' | 'test' = 'test'): Batch {
    const s = this.source[split];
    return this.deterministic(gatherBatch(s, Int32Array.from({ length: s.n }, (_, i) => i), this.source.sampleShape));
  }

  /** Raw inputs (e.g. a decision-boundary grid in data coordinates) mapped as the model sees them. */
  transformInputs(x: Float32Array): Float32Array {
    const n = x.length / this.source.features;
    if (!Number.isInteger(n)) throw new RangeError(`transformInputs: ${x.length} values are not whole samples of ${this.source.features}`);
    return this.deterministic({ x, y: new Int32Array(n), shape: [...this.source.sampleShape], indices: new Int32Array(n).fill(-1) }).x;
  }

  private deterministic(batch: Batch): Batch {
    for (const stage of this.stages) if (!(stage instanceof RandomStage)) batch = stage.apply(batch);
    return batch;
  }

  /** Batches delivered, source fingerprint, sampler position and every stage stream: numbers only. */
  getState(): Tree {
    const stages: Tree = {};
    for (const s of this.random) stages[s.name] = s.getState();
    return { position: this.delivered, source: this.source.fingerprint(), sampler: this.sampler.getState(), stages };
  }

  /** Restores a `getState()` tree all-or-nothing; refuses one taken on other data or another stage set. */
  setState(tree: Tree): void {
    const saved = readSubtree(tree, 'source');
    const mine = this.source.fingerprint();
    const keys = new Set([...Object.keys(saved), ...Object.keys(mine)]);
    const differs = [...keys].filter((k) => saved[k] !== mine[k]);
    if (differs.length > 0) {
      throw new StructureMismatchError(
        `This checkpoint was taken on different ${this.source.name} data (${differs.map((k) => `${k}: ${String(saved[k])} ≠ ${String(mine[k])}`).join(', ')})`,
        { path: 'source', differs },
      );
    }
    const position = readInt(tree, 'position');
    const stages = readSubtree(tree, 'stages');
    const expected = this.random.map((s) => s.name).sort().join(',');
    if (Object.keys(stages).sort().join(',') !== expected) {
      throw new StructureMismatchError(`The checkpoint's stages [${Object.keys(stages)}] are not this pipeline's [${expected}]`, { path: 'stages' });
    }
    const before = this.getState();
    try {
      this.applyParts(tree);
    } catch (e) {
      // Each part validates before it applies, but an earlier part may already have taken its new state.
      this.applyParts(before);
      throw e;
    }
    this.delivered = position;
  }

  private applyParts(tree: Tree): void {
    this.sampler.setState(readSubtree(tree, 'sampler'));
    const stages = readSubtree(tree, 'stages');
    for (const s of this.random) s.setState(readSubtree(stages, s.name, 'stages'));
  }
}
