/**
 * Epoch-shuffling index sampler.
 *
 * Epoch e is shuffled by the stream's child(e), so any epoch's order follows
 * from the stream key and e alone: the state is a position (epoch, cursor)
 * plus the stream, never a stored permutation. Batches are consecutive runs of
 * the endless concatenation of epoch orders, so a batch may straddle epochs.
 */
import { RngStream } from '../rng';
import type { Tree } from '../../core/tree';
import { readInt, readRngState, readSubtree, type Stateful } from './state';

/** Indices 0..n-1 in Fisher–Yates order drawn from `rng`. */
export function permutation(n: number, rng: RngStream): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/** Saved form of a sampler. */
export interface SamplerState extends Tree {
  /** Epoch the next index comes from. */
  epoch: number;
  /** Offset of the next index within that epoch's order, in [0, n). */
  cursor: number;
  /** The shuffle stream whose children order the epochs. */
  rng: { key0: number; key1: number; counter: number };
}

/** Endless shuffled stream of indices into n training samples. */
export class Sampler implements Stateful {
  private pos = { epoch: 0, cursor: 0 };
  // Derived from (rng key, epoch); cached because every batch reads it.
  private cache: { epoch: number; order: Int32Array } | undefined;

  constructor(readonly n: number, private readonly rng: RngStream) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Sampler: need at least one sample, got ${n}`);
  }

  /** Epoch the next index comes from. */
  get epoch(): number { return this.pos.epoch; }

  /** Offset of the next index within the current epoch. */
  get cursor(): number { return this.pos.cursor; }

  /** The order in which epoch `e` visits the samples (do not modify it). */
  epochOrder(e: number): Int32Array {
    if (this.cache?.epoch !== e) this.cache = { epoch: e, order: permutation(this.n, this.rng.child(e)) };
    return this.cache.order;
  }

  /** The next `count` indices, moving into later epochs as needed. */
  take(count: number): Int32Array {
    const out = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      out[k] = this.epochOrder(this.pos.epoch)[this.pos.cursor];
      if (++this.pos.cursor === this.n) this.pos = { epoch: this.pos.epoch + 1, cursor: 0 };
    }
    return out;
  }

  /** Position and stream key. */
  getState(): SamplerState {
    return { epoch: this.pos.epoch, cursor: this.pos.cursor, rng: { ...this.rng.getState() } };
  }

  /** Restores position and stream; the next `take` returns what the saved sampler would have. */
  setState(tree: Tree): void {
    // Epochs key child streams by uint32, so larger values would alias earlier epochs.
    const epoch = readInt(tree, 'epoch', 'sampler', 0, 0xffffffff);
    const cursor = readInt(tree, 'cursor', 'sampler', 0, this.n - 1);
    const rng = readRngState(readSubtree(tree, 'rng', 'sampler'), 'sampler/rng');
    this.rng.setState(rng);
    this.pos = { epoch, cursor };
    this.cache = undefined;
  }
}
