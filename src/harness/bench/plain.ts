/**
 * The baseline the engine is compared with: the same model and batch trained
 * the way a TF.js tutorial does it. A `tf.sequential` of tf.layers with the
 * same layer sizes and activation, `tf.train.adam` with the same
 * hyper-parameters, `optimizer.minimize`, batches taken from arrays made in
 * advance, and no checkpointing machinery. Like the engine, it awaits each
 * step's loss, so both pay the same synchronisation per step.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../../core/constants';
import type { RunConfig } from '../../core/config';
import type { Batch } from '../../engine/data/batch';
import { Pipeline } from '../../engine/data/pipeline';
import type { Source } from '../../engine/data/source';
import { CNN_FILTERS, CNN_KERNEL } from './flops';

/** A tf.layers model with tf.train.adam over pre-made batches. */
export class PlainTrainer {
  private next = 0;
  private constructor(
    private readonly model: tf.Sequential,
    private readonly optimizer: tf.Optimizer,
    private readonly batches: Batch[],
    private readonly numClasses: number,
  ) {}

  /** Builds the model and draws `batchCount` batches from the config's own pipeline (cycled during training). */
  static create(config: RunConfig, source: Source, batchCount: number): PlainTrainer {
    const model = tf.sequential();
    const inputShape = [...source.sampleShape];
    if (config.model === 'cnn') {
      CNN_FILTERS.forEach((filters, i) => {
        model.add(tf.layers.conv2d({
          ...(i === 0 ? { inputShape } : {}), filters, kernelSize: CNN_KERNEL, padding: 'same', activation: 'relu',
        }));
        model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid' }));
      });
      model.add(tf.layers.flatten());
    } else if (inputShape.length > 1) {
      model.add(tf.layers.flatten({ inputShape }));
    }
    config.hidden.forEach((units, i) => {
      const first = i === 0 && config.model === 'mlp' && inputShape.length === 1;
      model.add(tf.layers.dense({ ...(first ? { inputShape } : {}), units, activation: config.activation }));
    });
    model.add(tf.layers.dense({ units: source.numClasses }));
    const optimizer = tf.train.adam(config.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
    const pipeline = Pipeline.create(config, source);
    const batches = Array.from({ length: batchCount }, () => pipeline.next());
    return new PlainTrainer(model, optimizer, batches, source.numClasses);
  }

  /** Trainable parameters. */
  get parameterCount(): number {
    return this.model.countParams();
  }

  /** One step: minimize the softmax cross-entropy of the next batch, then await the loss. */
  async trainStep(): Promise<number> {
    const batch = this.batches[this.next];
    this.next = (this.next + 1) % this.batches.length;
    const loss = this.optimizer.minimize(() => {
      const x = tf.tensor(batch.x, [batch.y.length, ...batch.shape], 'float32');
      const y = tf.tensor1d(batch.y, 'int32');
      const logits = this.model.apply(x) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(tf.oneHot(y, this.numClasses), logits) as tf.Scalar;
    }, true) as tf.Scalar;
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  }

  /** Releases the model and the optimizer's slots. */
  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
