import { describe, expect, it } from 'vitest';
import { StructureMismatchError } from '../../core/errors';
import { RngStream } from '../rng';
import type { Tree } from '../../core/tree';
import { withInputs, type Batch } from './batch';
import { RandomStage, readInt, readRngState, readSubtree } from './state';

class Draw extends RandomStage {
  apply(b: Batch): Batch { return withInputs(b, Float32Array.from(b.x, () => this.rng.nextFloat())); }
}

describe('state readers', () => {
  it('read valid leaves and subtrees', () => {
    const t: Tree = { a: 3, s: { key0: 1, key1: 0xffffffff, counter: 9 } };
    expect(readInt(t, 'a')).toBe(3);
    expect(readRngState(readSubtree(t, 's'))).toEqual({ key0: 1, key1: 0xffffffff, counter: 9 });
  });

  it.each([
    ['missing', {}],
    ['NaN', { a: NaN }],
    ['fractional', { a: 1.5 }],
    ['negative', { a: -1 }],
    ['a string', { a: '3' }],
    ['a subtree', { a: { b: 1 } }],
  ])('refuse a leaf that is %s, naming the path', (_, t) => {
    expect(() => readInt(t as Tree, 'a', 'p')).toThrow(StructureMismatchError);
    expect(() => readInt(t as Tree, 'a', 'p')).toThrow(/'p\/a'/);
  });

  it('refuse a missing or non-object subtree and out-of-range key words', () => {
    expect(() => readSubtree({}, 's')).toThrow(/'s' is missing/);
    expect(() => readSubtree({ s: 1 }, 's')).toThrow(StructureMismatchError);
    expect(() => readSubtree(null as unknown as Tree, 's')).toThrow(StructureMismatchError);
    expect(() => readRngState({ key0: 2 ** 32, key1: 0, counter: 0 })).toThrow(/key0/);
    expect(() => readRngState({ key0: 0, key1: 0 })).toThrow(/counter/);
  });
});

describe('RandomStage', () => {
  it('saves and restores its stream, and refuses a bad state without changing', () => {
    const one: Batch = { x: new Float32Array(3), y: new Int32Array(1), shape: [3], indices: new Int32Array(1) };
    const a = new Draw('draw', RngStream.fromSeed(1, 'x'));
    a.apply(one);
    const saved = a.getState();
    expect(saved).toEqual({ ...RngStream.fromSeed(1, 'x').getState(), counter: 3 });
    const expected = Array.from(a.apply(one).x);
    const b = new Draw('draw', RngStream.fromSeed(2, 'other'));
    expect(() => b.setState({ ...saved, counter: NaN })).toThrow(/'draw\/counter'/);
    expect(b.getState()).toEqual(RngStream.fromSeed(2, 'other').getState());
    b.setState(saved);
    expect(Array.from(b.apply(one).x)).toEqual(expected);
  });
});
