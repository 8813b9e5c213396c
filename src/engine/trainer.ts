/**
 * The trainer: one model, one optimizer and one data pipeline, stepped
 * together, snapshotted together and restored together (the checkpointed
 * triple of the Flax NNX + Orbax guide).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../core/config';
import type { Source } from './data/source';
import type { Batch } from './data/batch';
import { Pipeline } from './data/pipeline';
import { Model } from './model';
import { createOptimizer, type NamedGrads, type Optimizer } from './optimizers';
import type { TrainState, Tree } from '../core/tree';

/** The three parts of the checkpointed state. */
export const STATE_PARTS = ['model', 'optimizer', 'pipeline'] as const;
/** Name of one part of the checkpointed state. */
export type StatePart = (typeof STATE_PARTS)[number];

/** How a trainer is built. */
export interface TrainerOptions {
  /** Use TF.js's own Adam (the `tfjs-setweights` pitfall) instead of the engine's. */
  useTfjsAdam?: boolean;
}

/** Model + optimizer + pipeline, advanced one batch per step. */
export class Trainer {
  /** The run's configuration. */
  readonly config: RunConfig;
  /** The network. */
  readonly model: Model;
  /** The update rule and its slots. */
  readonly optimizer: Optimizer;
  /** The data pipeline (sampler cursor, epoch, stage streams). */
  readonly pipeline: Pipeline;
  /** Steps completed (the loop counter; a checkpoint's step). */
  step = 0;
  /** Loss of each completed step: losses[i] is step i+1's loss. */
  losses: number[] = [];
  // The next step's batch, drawn while the device computed the last step, with the pipeline state from before it was drawn.
  private prefetched: { batch: Batch; stateBefore: Tree } | null = null;

  private constructor(config: RunConfig, model: Model, optimizer: Optimizer, pipeline: Pipeline) {
    this.config = config;
    this.model = model;
    this.optimizer = optimizer;
    this.pipeline = pipeline;
  }

  /** Builds fresh objects for a config: initial weights, zero slots, pipeline at position 0. */
  static create(config: RunConfig, source: Source, options: TrainerOptions = {}): Trainer {
    const model = Model.create(config, { sampleShape: source.sampleShape, numClasses: source.numClasses });
    const optimizer = createOptimizer(config.optimizer, config.lr, model.params, options.useTfjsAdam ?? false);
    const pipeline = Pipeline.create(config, source);
    return new Trainer(config, model, optimizer, pipeline);
  }

  /** Runs one training step and returns its loss (the float32 value, exactly). */
  async trainStep(): Promise<number> {
    const batch = this.prefetched?.batch ?? this.pipeline.next();
    this.prefetched = null;
    const lossTensor = tf.tidy(() => {
      const x = tf.tensor(batch.x, [batch.y.length, ...batch.shape], 'float32');
      const y = tf.tensor1d(batch.y, 'int32');
      const vars = [...this.model.params.values()];
      const { value, grads } = tf.variableGrads(() => this.model.loss(x, y), vars);
      const named: NamedGrads = new Map();
      for (const [path, v] of this.model.params) named.set(path, grads[v.name]);
      this.optimizer.apply(this.model.params, named);
      return value;
    });
    // data(), never dataSync(): in a worker on WebGPU dataSync returned zeros and lost the device.
    const pending = lossTensor.data();
    // On WebGPU and WebGL the step is still running on the device: draw the next batch on the CPU
    // meanwhile, so the device never waits for the data pipeline. Same batches, same order;
    // a snapshot reports the pipeline as it was before this draw.
    const stateBefore = this.pipeline.getState();
    try {
      this.prefetched = { stateBefore, batch: this.pipeline.next() };
    } catch {
      // This step is done and stays done; the next one draws again, and throws before it updates anything.
      this.pipeline.setState(stateBefore);
      this.prefetched = null;
    }
    const loss = (await pending)[0];
    lossTensor.dispose();
    this.step++;
    this.losses.push(loss);
    return loss;
  }

  /**
   * Snapshot of the parts named (all three by default) as pure trees; parts
   * left out are empty trees. This is `nnx.to_pure_dict(nnx.state(x))`.
   */
  async snapshot(parts: readonly StatePart[] = STATE_PARTS): Promise<TrainState> {
    const [model, optimizer] = await Promise.all([
      parts.includes('model') ? this.model.snapshot() : Promise.resolve({} as Tree),
      parts.includes('optimizer') ? this.optimizer.snapshot() : Promise.resolve({} as Tree),
    ]);
    const pipeline = parts.includes('pipeline') ? (this.prefetched?.stateBefore ?? this.pipeline.getState()) : {};
    return { model, optimizer, pipeline };
  }

  /** Writes a validated state back into the live objects (`nnx.update`); empty parts are skipped. */
  async load(state: TrainState): Promise<void> {
    if (Object.keys(state.pipeline).length > 0) {
      this.pipeline.setState(state.pipeline);
      this.prefetched = null;
    }
    if (Object.keys(state.model).length > 0) this.model.load(state.model);
    if (Object.keys(state.optimizer).length > 0) await this.optimizer.load(state.optimizer);
  }

  /** Releases every tensor this trainer owns. */
  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
