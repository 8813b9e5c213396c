/** Section 6: one large matmul, for the backend's attainable GFLOP/s (the ceiling a training step is compared with). */
import * as tf from '@tensorflow/tfjs';
import { timeSteps, type BenchContext } from '../context';
import type { MatmulResult } from '../protocol';

/** A [n, n] × [n, n] matmul repeated, each repetition reading its result back. */
export async function measureMatmul(ctx: BenchContext, n: number, reps: number, warmup: number): Promise<MatmulResult> {
  // Any values do: a cheap deterministic pattern in [-0.5, 0.5).
  const fill = (salt: number) => Float32Array.from({ length: n * n }, (_, i) => (((i * 7919 + salt) % 1000) / 1000) - 0.5);
  const a = tf.tensor2d(fill(1), [n, n]);
  const b = tf.tensor2d(fill(2), [n, n]);
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) await once();
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      ctx.progress(`matmul ${n}³ rep ${r + 1}/${reps}`);
      ms.push(await timeSteps(once, 1));
    }
    return { n, ms };
  } finally {
    a.dispose();
    b.dispose();
  }
}
