import { describe, expect, it } from 'vitest';
import { StructureMismatchError } from '../core/errors';
import { tensorLeaf, type Tree } from '../core/tree';
import { assertFitsTemplate, compareWithTemplate } from './integrity';

const template = (): Tree => ({
  model: {
    dense_0: { kernel: tensorLeaf(new Float32Array(128), [2, 64]), bias: tensorLeaf(new Float32Array(64), [64]) },
    dense_1: { kernel: tensorLeaf(new Float32Array(64), [64, 1]) },
  },
  optimizer: { step: 0, slots: { dense_0: { kernel: { m: tensorLeaf(new Float32Array(128), [2, 64]) } } } },
  pipeline: { cursor: 0, order: tensorLeaf(new Int32Array(4), [4]) },
});

describe('compareWithTemplate', () => {
  it('finds nothing when trees and fingerprints agree', () => {
    expect(compareWithTemplate(template(), template(), { a: 1, b: 'x' }, { b: 'x', a: 1 })).toEqual([]);
  });

  it('reports each kind of mismatch at its path', () => {
    const saved = template();
    const model = saved.model as Tree;
    (model.dense_0 as Tree).kernel = tensorLeaf(new Float32Array(64), [2, 32]);
    delete (model.dense_1 as Tree).kernel;
    model.extra = 3;
    (saved.pipeline as Tree).order = tensorLeaf(new Float32Array(4), [4]);
    (saved.optimizer as Tree).step = tensorLeaf(new Float32Array(1), [1]);
    const problems = compareWithTemplate(saved, template(), { hidden: '32', seed: 1 }, { hidden: '64', lr: 2, seed: 1 });
    expect(problems.map((p) => [p.path, p.kind, p.detail])).toEqual([
      ['model/dense_0/kernel', 'shape', 'shape [2,32] in checkpoint, [2,64] in template'],
      ['model/dense_1/kernel', 'missing', 'missing from checkpoint, template has tensor float32 [64,1]'],
      ['optimizer/step', 'kind', 'tensor float32 [1] in checkpoint, number in template'],
      ['pipeline/order', 'dtype', 'dtype float32 in checkpoint, int32 in template'],
      ['model/extra', 'extra', 'number in checkpoint, not in template'],
      ['fingerprint.hidden', 'fingerprint', '"32" in checkpoint, "64" in template'],
      ['fingerprint.lr', 'fingerprint', 'absent in checkpoint, 2 in template'],
    ]);
  });

  it('ignores fingerprints unless both sides give one', () => {
    expect(compareWithTemplate(template(), template(), { a: 1 })).toEqual([]);
  });
});

describe('assertFitsTemplate', () => {
  it('passes silently when the tree fits', () => {
    expect(() => assertFitsTemplate(template(), template())).not.toThrow();
  });

  it('throws one StructureMismatchError naming every offending path', () => {
    const saved = template();
    ((saved.model as Tree).dense_0 as Tree).kernel = tensorLeaf(new Float32Array(64), [2, 32]);
    (saved.pipeline as Tree).order = tensorLeaf(new Uint8Array(4), [4]);
    delete saved.optimizer;
    (saved.model as Tree).stray = tensorLeaf(new Float32Array(2), [2]);
    let err: unknown;
    try {
      assertFitsTemplate(saved, template(), { hidden: '32x32' }, { hidden: '64x64' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StructureMismatchError);
    const { message, details } = err as StructureMismatchError;
    for (const fragment of [
      'model/dense_0/kernel: shape [2,32] in checkpoint, [2,64] in template',
      'pipeline/order: dtype uint8 in checkpoint, int32 in template',
      'optimizer/step: missing',
      'optimizer/slots/dense_0/kernel/m: missing',
      'model/stray: tensor float32 [2] in checkpoint, not in template',
      'fingerprint.hidden: "32x32" in checkpoint, "64x64" in template',
    ]) expect(message).toContain(fragment);
    expect((details.problems as unknown[]).length).toBe(6);
  });
});
