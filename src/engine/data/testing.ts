/**
 * Test helpers for resume-equals-continue checks (imported by *.test.ts only).
 */
import { expect, it } from 'vitest';
import { RngStream } from '../rng';
import type { Tree } from '../../core/tree';
import type { Batch } from './batch';
import type { RandomStage, Stateful } from './state';

/** Bits of a batch, so comparisons see every float exactly (−0, NaN payloads included). */
export function batchBits(b: Batch): { x: number[]; y: number[]; shape: number[]; indices: number[] } {
  return {
    x: Array.from(new Uint32Array(b.x.buffer, b.x.byteOffset, b.x.length)),
    y: Array.from(b.y),
    shape: b.shape,
    indices: Array.from(b.indices),
  };
}

/**
 * Runs `total` steps uninterrupted, and again with a checkpoint after `k`
 * steps restored into a fresh object (through structuredClone, as storage
 * would); returns the outputs of steps k..total-1 from both runs.
 */
export function resumeRun<S extends Stateful, T>(
  make: () => S, step: (s: S) => T, k: number, total: number,
): { continued: T[]; resumed: T[]; fresh: T[]; checkpoint: Tree } {
  const a = make();
  const all = Array.from({ length: total }, () => step(a));
  const b = make();
  for (let i = 0; i < k; i++) step(b);
  const checkpoint = structuredClone(b.getState());
  const restored = make();
  restored.setState(checkpoint);
  const fresh = make();
  const rest = (s: S) => Array.from({ length: total - k }, () => step(s));
  return { continued: all.slice(k), resumed: rest(restored), fresh: rest(fresh), checkpoint };
}

/**
 * The checks every stochastic stage must pass: deterministic per state,
 * different per stream, resume-equals-continue for several k, input untouched.
 */
export function randomStageContract(make: (rng: RngStream) => RandomStage, input: () => Batch): void {
  const stage = () => make(RngStream.fromSeed(3, 'data', 'stage', 'test'));
  const apply = (s: RandomStage) => batchBits(s.apply(input()));

  it('gives the same output from the same state and a different one from another stream', () => {
    expect(apply(stage())).toEqual(apply(stage()));
    expect(apply(make(RngStream.fromSeed(4, 'data', 'stage', 'test'))).x).not.toEqual(apply(stage()).x);
  });

  it('changes the inputs without mutating them', () => {
    const b = input();
    const before = batchBits(b);
    const out = stage().apply(b);
    expect(batchBits(b)).toEqual(before);
    expect(out.x).not.toBe(b.x);
    expect(batchBits(out).x).not.toEqual(before.x);
  });

  it.each([0, 1, 2, 5, 9])('resumes into a fresh stage after %i applications exactly as it continues', (k) => {
    const { continued, resumed, fresh } = resumeRun(stage, apply, k, 12);
    expect(resumed).toEqual(continued);
    if (k > 0) expect(fresh).not.toEqual(continued);
  });
}
