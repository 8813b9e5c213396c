/**
 * Kernel rerun check: runs one matmul many times and counts how many
 * distinct bit patterns come out. An order-stable kernel gives exactly one.
 * On WebGPU a (small output × long inner dimension) matmul is where TF.js
 * would pick its atomics-based split-K program; `pinned: false` lifts the
 * pin for the comparison.
 */
import * as tf from '@tensorflow/tfjs';
import { xxh32 } from '../core/hashes';
import { RngStream } from './rng';

/** Result of a rerun check. */
export interface RerunReport {
  /** Backend the check ran on. */
  backend: string;
  /** Matmul shape [m, k] × [k, n]. */
  shape: [number, number, number];
  /** Runs made. */
  repeats: number;
  /** Distinct result checksums seen (1 = order-stable). */
  distinct: number;
  /** Value of WEBGPU_MATMUL_PROGRAM_TYPE during the check (-1 = TF.js's own choice). */
  programType: number | null;
}

/** Runs `repeats` identical matmuls and counts distinct results. */
export async function matmulRerun(m: number, k: number, n: number, repeats: number, pinned: boolean): Promise<RerunReport> {
  const rng = RngStream.fromSeed(1234, 'kernel-rerun');
  const fill = (size: number) => Float32Array.from({ length: size }, () => rng.nextNormal());
  const a = tf.tensor2d(fill(m * k), [m, k]);
  const b = tf.tensor2d(fill(k * n), [k, n]);
  const onWebGPU = tf.getBackend() === 'webgpu';
  const flag = 'WEBGPU_MATMUL_PROGRAM_TYPE';
  const saved = onWebGPU ? tf.env().getNumber(flag) : null;
  if (onWebGPU && !pinned) tf.env().set(flag, -1);
  const seen = new Set<number>();
  try {
    for (let i = 0; i < repeats; i++) {
      const c = tf.matMul(a, b);
      const data = (await c.data()) as Float32Array;
      c.dispose();
      seen.add(xxh32(data));
    }
    return { backend: tf.getBackend(), shape: [m, k, n], repeats, distinct: seen.size, programType: onWebGPU ? tf.env().getNumber(flag) : null };
  } finally {
    if (onWebGPU && saved !== null) tf.env().set(flag, saved);
    a.dispose();
    b.dispose();
  }
}
