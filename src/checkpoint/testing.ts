/** Fixtures for the checkpoint format's tests (imported by *.test.ts only). */
import { expect } from 'vitest';
import { getLeaf, tensorLeaf, type TensorLeaf, type TrainState, type Tree } from '../core/tree';
import type { CheckpointMeta } from './format';

/** Float32 values whose bits a careless codec would change: -0, NaN payloads, denormals, infinities. */
export const trickyBits = new Uint32Array([0x80000000, 0x7fc00001, 0xffbfffff, 0x7f800001, 0x00000001, 0x807fffff, 0x7f800000, 0x3f800000]);

/** A small state whose leaves hold every kind of value a careless codec would change. */
export function state(): TrainState {
  return {
    model: { dense_0: { kernel: tensorLeaf(new Float32Array(trickyBits.buffer.slice(0)), [2, 4]), bias: tensorLeaf(new Float32Array([0.5, -2]), [2]) } },
    optimizer: { step: 7, slots: { m: tensorLeaf(new Float32Array([1e-40, 3]), [2]) } },
    pipeline: { cursor: -0, epoch: NaN, big: 2 ** 53 - 1, inf: -Infinity, order: tensorLeaf(new Int32Array([-1, 2 ** 31 - 1, 0]), [3]), mask: tensorLeaf(new Uint8Array([0, 255]), [2]) },
  };
}

/** Checkpoint metadata with non-finite and negative-zero losses. */
export const meta = (step = 10): CheckpointMeta => ({
  step, runId: 'r1', fingerprint: { hidden: '32x32', batch: 32 }, backend: 'cpu', adapter: '', losses: [1.25, NaN, -0, Infinity], savedAtMs: 1234.5,
});

/** The bit patterns of a tensor leaf's values. */
export const bitsOf = (leaf: unknown) => Array.from(new Uint32Array((leaf as TensorLeaf).data.slice().buffer));

/** Asserts that every leaf of `got` has the same dtype, shape and bit pattern as in `want`. */
export function expectSameBits(got: Tree, want: TrainState) {
  for (const path of ['model/dense_0/kernel', 'model/dense_0/bias', 'optimizer/slots/m', 'pipeline/order']) {
    const [g, w] = [getLeaf(got, path) as TensorLeaf, getLeaf(want as unknown as Tree, path) as TensorLeaf];
    expect([g.dtype, g.shape, bitsOf(g)]).toEqual([w.dtype, w.shape, bitsOf(w)]);
    expect(g.data.constructor).toBe(w.data.constructor);
  }
  expect(Array.from((getLeaf(got, 'pipeline/mask') as TensorLeaf).data)).toEqual([0, 255]);
  expect(Object.is(getLeaf(got, 'pipeline/cursor'), -0)).toBe(true);
  expect(getLeaf(got, 'pipeline/epoch')).toBeNaN();
  expect(getLeaf(got, 'pipeline/big')).toBe(2 ** 53 - 1);
  expect(getLeaf(got, 'pipeline/inf')).toBe(-Infinity);
  expect(getLeaf(got, 'optimizer/step')).toBe(7);
}

