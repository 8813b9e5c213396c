/**
 * The trainer draws the next batch while the device runs the current step.
 * A snapshot must still describe the pipeline as it stood after the last
 * completed step, and a trainer restored from it must continue bit-exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSource } from './data/pipeline';
import { testConfig, useCpuBackend } from './testing';
import { Trainer } from './trainer';

beforeAll(useCpuBackend);

describe('Trainer prefetch', () => {
  it('snapshots the pipeline as of the last completed step, not the prefetched batch', async () => {
    const config = testConfig({ steps: 10 });
    const source = makeSource(config);
    const trainer = Trainer.create(config, source);
    for (let i = 0; i < 3; i++) await trainer.trainStep();
    const state = await trainer.snapshot();
    expect(state.pipeline.position).toBe(3);
    expect(trainer.pipeline.position).toBe(4);

    // A fresh pipeline advanced by three batches has exactly that state.
    const other = Trainer.create(config, source);
    for (let i = 0; i < 3; i++) other.pipeline.next();
    expect(other.pipeline.getState()).toEqual(state.pipeline);
    trainer.dispose();
    other.dispose();
  });

  it('a trainer restored mid-run gives the losses of the uninterrupted one', async () => {
    const config = testConfig({ steps: 12 });
    const source = makeSource(config);
    const straight = Trainer.create(config, source);
    for (let i = 0; i < 12; i++) await straight.trainStep();

    const first = Trainer.create(config, source);
    for (let i = 0; i < 5; i++) await first.trainStep();
    const saved = await first.snapshot();
    first.dispose();
    const restored = Trainer.create(config, source);
    await restored.load(saved);
    const rest: number[] = [];
    for (let i = 0; i < 7; i++) rest.push(await restored.trainStep());
    expect(rest).toEqual(straight.losses.slice(5));
    straight.dispose();
    restored.dispose();
  });
});
