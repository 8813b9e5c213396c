import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../core/config';
import { makeSource } from './data/pipeline';
import { Trainer } from './trainer';
import { bits, testConfig, useCpuBackend } from './testing';
import { flattenTree, isTensorLeaf, cloneTree, type TrainState } from '../core/tree';

beforeAll(useCpuBackend);

/** Trains k steps, snapshots, restores into fresh objects, trains the rest: returns losses and final params bits. */
async function resumeRun(kind: (typeof OPTIMIZERS)[number], k: number, total: number, opts: { skipOptimizer?: boolean; tfjsAdam?: boolean } = {}) {
  const config = testConfig({ optimizer: kind, lr: 0.05 });
  const source = makeSource(config);
  const a = Trainer.create(config, source, { useTfjsAdam: opts.tfjsAdam });
  for (let i = 0; i < k; i++) await a.trainStep();
  const saved: TrainState = cloneTree((await a.snapshot()) as never) as never;
  a.dispose();
  const b = Trainer.create(config, source, { useTfjsAdam: opts.tfjsAdam });
  if (opts.skipOptimizer) saved.optimizer = {};
  await b.load(saved);
  b.step = k;
  b.losses = a.losses.slice();
  while (b.step < total) await b.trainStep();
  const params = (await b.snapshot(['model'])).model;
  b.dispose();
  return { losses: b.losses, params: flattenTree(params).flatMap(([, l]) => (isTensorLeaf(l) ? bits(l.data as Float32Array) : [])) };
}

async function straightRun(kind: (typeof OPTIMIZERS)[number], total: number, tfjsAdam = false) {
  const config = testConfig({ optimizer: kind, lr: 0.05 });
  const t = Trainer.create(config, makeSource(config), { useTfjsAdam: tfjsAdam });
  while (t.step < total) await t.trainStep();
  const params = (await t.snapshot(['model'])).model;
  t.dispose();
  return { losses: t.losses, params: flattenTree(params).flatMap(([, l]) => (isTensorLeaf(l) ? bits(l.data as Float32Array) : [])) };
}

describe.each(OPTIMIZERS)('%s optimizer', (kind) => {
  it('resume equals continue, bit for bit, from every step k', async () => {
    const total = 8;
    const ref = await straightRun(kind, total);
    for (let k = 1; k < total; k++) {
      const got = await resumeRun(kind, k, total);
      expect(bits(got.losses), `k=${k}`).toEqual(bits(ref.losses));
      expect(got.params, `k=${k}`).toEqual(ref.params);
    }
  });

  it('snapshot holds every slot keyed by variable path', async () => {
    const config = testConfig({ optimizer: kind });
    const t = Trainer.create(config, makeSource(config));
    await t.trainStep();
    const opt = (await t.snapshot(['optimizer'])).optimizer;
    const paths = flattenTree(opt).map(([p]) => p);
    expect(paths).toContain('iterations');
    if (kind === 'momentum') expect(paths).toContain('slots/dense_0/kernel/accumulation');
    if (kind === 'adam') expect(paths).toEqual(expect.arrayContaining(['beta1Power', 'beta2Power', 'slots/dense_0/kernel/m', 'slots/out/bias/v']));
    t.dispose();
  });
});

describe('negative controls', () => {
  it('leaving Adam\'s state out of the restore diverges', async () => {
    const ref = await straightRun('adam', 8);
    const got = await resumeRun('adam', 4, 8, { skipOptimizer: true });
    expect(bits(got.losses.slice(0, 4))).toEqual(bits(ref.losses.slice(0, 4)));
    expect(bits(got.losses.slice(4))).not.toEqual(bits(ref.losses.slice(4)));
  });

  it('TF.js\'s own Adam restored through setWeights is not bit-exact (pow vs running product)', async () => {
    const total = 30;
    const ref = await straightRun('adam', total, true);
    const got = await resumeRun('adam', 15, total, { tfjsAdam: true });
    expect(got.params).not.toEqual(ref.params);
  });
});

describe('memory', () => {
  it('does not leak tensors across steps, snapshots and loads', async () => {
    for (const kind of OPTIMIZERS) {
      const config = testConfig({ optimizer: kind });
      const t = Trainer.create(config, makeSource(config));
      await t.trainStep();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        await t.trainStep();
        await t.load(await t.snapshot());
      }
      expect(tf.memory().numTensors, kind).toBe(before);
      t.dispose();
    }
  });
});
