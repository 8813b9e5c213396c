/**
 * What the task looks like right now, for the playground: the decision
 * boundary over a grid for 2-D data, or predictions on a few test digits.
 * Evaluation reads the weights and the deterministic stages only: it draws
 * from no stream and mutates no state, so a run with visuals on produces the
 * same bits as one without.
 */
import * as tf from '@tensorflow/tfjs';
import { VISUAL_DIGITS, VISUAL_GRID_CELLS } from '../core/constants';
import type { Trainer } from './trainer';

/** Class and confidence per cell of a grid over the data's extent (2-D datasets). */
export interface BoundaryVisual {
  /** Discriminates the visual. */
  kind: 'boundary';
  /** Cells per side. */
  cells: number;
  /** [xMin, xMax, yMin, yMax] in data coordinates. */
  extent: [number, number, number, number];
  /** Predicted class per cell, row-major from yMin upwards. */
  classes: number[];
  /** Probability of the predicted class per cell. */
  confidence: number[];
  /** Test points [x, y, label] in data coordinates. */
  points: Array<[number, number, number]>;
}

/** Predicted labels for the first test digits. */
export interface DigitsVisual {
  /** Discriminates the visual. */
  kind: 'digits';
  /** Pixels (0–255) of each digit, 28×28 row-major. */
  images: number[][];
  /** True labels. */
  labels: number[];
  /** Predicted labels. */
  predicted: number[];
  /** Accuracy over the whole test split, in [0, 1]. */
  testAccuracy: number;
}

/** One snapshot of what the model does. */
export type Visual = BoundaryVisual | DigitsVisual;

async function predict(trainer: Trainer, x: Float32Array, n: number): Promise<{ classes: Int32Array; confidence: Float32Array }> {
  const shape = trainer.pipeline.source.sampleShape;
  const [cls, conf] = tf.tidy(() => {
    const probs = tf.softmax(trainer.model.apply(tf.tensor(x, [n, ...shape])));
    return [tf.argMax(probs, 1), tf.max(probs, 1)];
  });
  const [c, p] = await Promise.all([cls.data(), conf.data()]);
  tf.dispose([cls, conf]);
  return { classes: c as Int32Array, confidence: p as Float32Array };
}

/** Computes the visual for the trainer's dataset. */
export async function visualize(trainer: Trainer): Promise<Visual> {
  const source = trainer.pipeline.source;
  const test = source.test;
  if (source.sampleShape.length === 3) {
    const all = trainer.pipeline.evalBatch('test');
    const { classes } = await predict(trainer, all.x, test.n);
    let correct = 0;
    for (let i = 0; i < test.n; i++) if (classes[i] === test.y[i]) correct++;
    const size = source.features;
    const images: number[][] = [];
    for (let i = 0; i < Math.min(VISUAL_DIGITS, test.n); i++) {
      images.push(Array.from(test.x.subarray(i * size, (i + 1) * size), (v) => Math.round(v * 255)));
    }
    return {
      kind: 'digits', images, labels: Array.from(test.y.subarray(0, images.length)),
      predicted: Array.from(classes.subarray(0, images.length)), testAccuracy: correct / test.n,
    };
  }
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < source.train.n; i++) {
    const a = source.train.x[2 * i], b = source.train.x[2 * i + 1];
    x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b);
  }
  const padX = (x1 - x0) * 0.08, padY = (y1 - y0) * 0.08;
  const extent: BoundaryVisual['extent'] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  const n = VISUAL_GRID_CELLS;
  const grid = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      grid[2 * (r * n + c)] = extent[0] + ((c + 0.5) / n) * (extent[1] - extent[0]);
      grid[2 * (r * n + c) + 1] = extent[2] + ((r + 0.5) / n) * (extent[3] - extent[2]);
    }
  }
  const { classes, confidence } = await predict(trainer, trainer.pipeline.transformInputs(grid), n * n);
  const points: BoundaryVisual['points'] = [];
  for (let i = 0; i < test.n; i++) points.push([test.x[2 * i], test.x[2 * i + 1], test.y[i]]);
  return { kind: 'boundary', cells: n, extent, classes: Array.from(classes), confidence: Array.from(confidence), points };
}
