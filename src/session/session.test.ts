/**
 * The three-phase experiment in Node: cpu backend, fake-indexeddb. The
 * "crash" here is dropping the session mid-run; the browser tests do the
 * real SIGKILL. Each pitfall is a negative control that must diverge or fail.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStrictStore } from '../checkpoint';
import type { BackendReport } from '../engine/backend';
import { PITFALLS, type Pitfall, type RunConfig } from '../core/config';
import { StructureMismatchError } from '../core/errors';
import { Session, type SessionEvent } from './session';
import { testConfig, useCpuBackend } from '../engine/testing';

beforeAll(useCpuBackend);

const backend: BackendReport = { requested: 'cpu', backend: 'cpu', adapter: 'test', fallbacks: [], flags: {} };
let dbCounter = 0;

function newSession(events: SessionEvent[] = []) {
  // A new database per test, shared by the sessions of that test like a browser profile.
  const store = createStrictStore(`session-test-${++dbCounter}`);
  const make = (on: BackendReport = backend) => new Session({ store, backend: on, loadMnist: () => Promise.reject(new Error('no mnist in this test')), emit: (e) => events.push(e) });
  return { make, events };
}

async function crashAndResume(config: RunConfig, crashAt: number, pitfall: Pitfall = 'none', visualEveryMs = 0) {
  const { make, events } = newSession();
  const first = await make().runExperiment('run', { ...config, pitfall }, { crashAtStep: crashAt, visualEveryMs });
  // "Crash": the first session is dropped; a new one on the same storage finds the run.
  const second = make();
  const found = await second.findInterrupted();
  const resumed = await second.resume(found!.record.runId, { visualEveryMs });
  return { first, found: found!, resumed, events };
}

describe('three-phase experiment', () => {
  it('resumes bit-exact after a crash on a checkpoint step', async () => {
    const config = testConfig({ steps: 12, saveEverySteps: 3 });
    const { first, found, resumed } = await crashAndResume(config, 6);
    expect(first.end).toBe('halted');
    expect(first.checkpoints).toEqual([3, 6]);
    expect(found.checkpoints.map((c) => c.step)).toEqual([3, 6]);
    expect(resumed.restoredFrom).toBe(6);
    expect(resumed.stepsLost).toBe(0);
    expect(resumed.resumedLosses).toHaveLength(12);
    expect(resumed.verdict?.maxLossDiff).toBe(0);
    expect(resumed.verdict?.maxParamDiff).toBe(0);
    expect(resumed.verdict?.exact).toBe(true);
    expect(resumed.verdict?.resumedHash).toBe(resumed.verdict?.referenceHash);
  });

  it('redoes the steps lost between the last checkpoint and the crash, across an epoch boundary', async () => {
    // 64 samples → 51 train, batch 16: epochs end inside steps 4, 7, 10.
    const config = testConfig({ steps: 14, saveEverySteps: 4, maxToKeep: 2, optimizer: 'momentum' });
    const { first, resumed } = await crashAndResume(config, 11);
    expect(first.checkpoints).toEqual([4, 8]);
    expect(resumed.restoredFrom).toBe(8);
    expect(resumed.stepsLost).toBe(3);
    expect(resumed.verdict?.exact).toBe(true);
  });

  it('reports a resume on another backend than the checkpoint\'s', async () => {
    const { make } = newSession();
    await make().runExperiment('run', testConfig({ steps: 6, saveEverySteps: 2 }), { crashAtStep: 4 });
    const same = await make().resume('run');
    expect(same.crossBackend).toBeNull();
    await make().runExperiment('run', testConfig({ steps: 6, saveEverySteps: 2 }), { crashAtStep: 4 });
    const moved = await make({ ...backend, backend: 'wasm' }).resume('run');
    expect(moved.crossBackend).toEqual({ checkpoint: 'cpu', current: 'wasm' });
  });

  it('is unaffected by visuals (evaluation mutates no state)', async () => {
    const config = testConfig({ steps: 8, saveEverySteps: 2 });
    const { resumed, events } = await crashAndResume(config, 4, 'none', 1);
    expect(events.some((e) => e.type === 'visual')).toBe(true);
    expect(resumed.verdict?.exact).toBe(true);
  });

  it('commits checkpoints while training runs, not only when the loop ends', async () => {
    const { make, events } = newSession();
    await make().runExperiment('run', testConfig({ steps: 30, saveEverySteps: 3 }), {});
    const lastStep = events.findLastIndex((e) => e.type === 'step');
    const committedBefore = events.slice(0, lastStep).filter((e) => e.type === 'checkpoint').length;
    // 10 checkpoints. Without the loop's macrotask yield none commits before the
    // loop ends (0 measured); with it, fake-indexeddb's callbacks keep up within a few steps (6 measured).
    expect(committedBefore).toBeGreaterThanOrEqual(5);
  });

  it('returns the verdict of a run that finished without a crash: phase 2 repeats phase 1 exactly', async () => {
    const { make } = newSession();
    const r = await make().runExperiment('run', testConfig({ steps: 6, saveEverySteps: 2 }));
    expect(r.end).toBe('finished');
    expect(r.verdict).toMatchObject({ maxLossDiff: 0, maxParamDiff: 0, firstDivergentStep: null, stepsCompared: 6, exact: true });
    const crashed = await make().runExperiment('run2', testConfig({ steps: 6, saveEverySteps: 2 }), { crashAtStep: 4 });
    expect(crashed.verdict).toBeNull();
  });

  it('imports a checkpoint file of the same model into another run, and refuses one of another model without writing', async () => {
    const { make } = newSession();
    const s = make();
    await s.runExperiment('a', testConfig({ steps: 6, saveEverySteps: 2 }), { crashAtStep: 4 });
    await s.runExperiment('b', testConfig({ steps: 6, saveEverySteps: 2, seed: 3 }), { crashAtStep: 2 });
    await s.runExperiment('c', testConfig({ steps: 6, saveEverySteps: 2, hidden: [4] }), { crashAtStep: 2 });
    const file = await s.exportCheckpoint('a', 4);
    expect(await s.importCheckpoint('b', file)).toBe(4);
    expect((await s.listCheckpoints('b')).map((c) => c.step)).toEqual([2, 4]);
    const err = await s.importCheckpoint('c', file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StructureMismatchError);
    expect((err as Error).message).toContain('fingerprint.hidden');
    expect((await s.listCheckpoints('c')).map((c) => c.step)).toEqual([2]);
  });

  it('reports phases, steps and committed checkpoints as events', async () => {
    const { resumed, events } = await crashAndResume(testConfig({ steps: 6, saveEverySteps: 2 }), 4);
    expect(resumed.verdict?.exact).toBe(true);
    expect(events.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.phase)).toEqual(['reference', 'checkpointed', 'resumed']);
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.type === 'checkpoint' && e.info.step)).toEqual([2, 4, 6]);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(6 + 4 + 2);
  });
});

describe('pitfalls (negative controls)', () => {
  const diverging = PITFALLS.filter((p) => p !== 'none' && p !== 'template-mismatch');
  // Crash at 15: TF.js's pow(β, t+1) happens to equal the running product for
  // some small t on the cpu backend, so the setWeights pitfall needs a later step to show.
  it.each(diverging)('%s diverges after the restore step', async (pitfall) => {
    const config = testConfig({ steps: 20, saveEverySteps: 5, optimizer: 'adam' });
    const { resumed } = await crashAndResume(config, 15, pitfall);
    const v = resumed.verdict!;
    expect(v.exact).toBe(false);
    expect(v.maxParamDiff).toBeGreaterThan(0);
    expect(v.firstDivergentStep).toBeGreaterThan(15);
  });

  it('template-mismatch is refused with every offending path named, and nothing restored', async () => {
    const config = testConfig({ steps: 8, saveEverySteps: 2 });
    const { make } = newSession();
    await make().runExperiment('run', config, { crashAtStep: 4 });
    const err = await make().resume('run', { pitfall: 'template-mismatch' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StructureMismatchError);
    const msg = (err as Error).message;
    for (const path of ['model/dense_0/kernel', 'model/dense_0/bias', 'model/out/kernel', 'optimizer/slots/dense_0/kernel/m', 'fingerprint.hidden']) expect(msg).toContain(path);
    // The run is untouched: a correct resume still works and is exact.
    const ok = await make().resume('run');
    expect(ok.verdict?.exact).toBe(true);
  });
});
