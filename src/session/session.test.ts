/**
 * The three-phase experiment in Node: cpu backend, fake-indexeddb. The
 * "crash" here is dropping the session mid-run; the browser tests do the
 * real SIGKILL. Each pitfall is a negative control that must diverge or fail.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStrictStore, runKeys } from '../checkpoint';
import type { BackendReport } from '../engine/backend';
import { OPTIMIZERS, PITFALLS, type Pitfall, type RunConfig } from '../core/config';
import { pitfallEffect } from '../core/pitfalls';
import { promisifyRequest } from 'idb-keyval';
import { CheckpointCorruptError, StructureMismatchError } from '../core/errors';
import { Session, type SessionEvent } from './session';
import { testConfig, useCpuBackend } from '../engine/testing';

beforeAll(useCpuBackend);

const backend: BackendReport = { requested: 'cpu', backend: 'cpu', adapter: 'test', fallbacks: [], flags: {} };
let dbCounter = 0;

function newSession(events: SessionEvent[] = []) {
  // A new database per test, shared by the sessions of that test like a browser profile.
  const store = createStrictStore(`session-test-${++dbCounter}`);
  const make = (on: BackendReport = backend) => new Session({ store, backend: on, loadMnist: () => Promise.reject(new Error('no mnist in this test')), emit: (e) => events.push(e) });
  return { make, events, store };
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

  it('reports phases, steps and committed checkpoints as events; the reference runs beside the checkpointed run, step for step', async () => {
    const { resumed, events } = await crashAndResume(testConfig({ steps: 6, saveEverySteps: 2 }), 4);
    expect(resumed.verdict?.exact).toBe(true);
    // The crash at 4 cut the reference short too, so the resume recomputes it: first up to the restore step, then beside the resumed run.
    expect(events.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.phase)).toEqual(['reference', 'checkpointed', 'reference', 'resumed']);
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.type === 'checkpoint' && e.info.step)).toEqual([2, 4, 6]);
    const short = { reference: 'r', checkpointed: 'c', resumed: 'R' } as const;
    const steps = events.flatMap((e) => (e.type === 'step' ? [`${short[e.phase]}${e.step}`] : []));
    expect(steps).toEqual(['r1', 'c1', 'r2', 'c2', 'r3', 'c3', 'r4', 'c4', 'r1', 'r2', 'r3', 'r4', 'r5', 'R5', 'r6', 'R6']);
  });

  it('keeps a reference finished before the crash and does not recompute it', async () => {
    const { make, events } = newSession();
    const config = testConfig({ steps: 8, saveEverySteps: 2 });
    const first = await make().runExperiment('run', config, { crashAtStep: 3, referenceToEnd: true });
    expect(first.end).toBe('halted');
    expect(first.referenceLosses).toHaveLength(8);
    expect(first.checkpointedLosses).toHaveLength(3);
    const mark = events.length;
    const resumed = await make().resume('run');
    expect(resumed.verdict?.exact).toBe(true);
    expect(events.slice(mark).filter((e) => e.type === 'step').every((e) => e.type === 'step' && e.phase === 'resumed')).toBe(true);
    expect(resumed.referenceLosses).toEqual(first.referenceLosses);
  });

  it('refuses a crash step outside 1 .. steps − 1, naming the range', async () => {
    const { make } = newSession();
    for (const crashAtStep of [0, 8, 9, 2.5]) {
      await expect(make().runExperiment('run', testConfig({ steps: 8 }), { crashAtStep })).rejects.toThrow(/from 1 to 7/);
    }
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

describe('pace', () => {
  it('does not change a bit: a paced, paused-and-stepped run equals an unpaced one', async () => {
    const config = testConfig({ steps: 10, saveEverySteps: 5 });
    const fast = await newSession().make().runExperiment('run', config);
    const { make, events } = newSession();
    const s = make();
    s.setPace({ stepsPerSecond: null, paused: true });
    const paced = s.runExperiment('run', config);
    // Three single steps while paused, then a rate cap for the rest.
    for (let i = 0; i < 3; i++) {
      const seen = events.filter((e) => e.type === 'step' && e.phase === 'checkpointed').length;
      s.stepOnce();
      await expect.poll(() => events.filter((e) => e.type === 'step' && e.phase === 'checkpointed').length).toBe(seen + 1);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'step' && e.phase === 'checkpointed')).toHaveLength(3);
    s.setPace({ stepsPerSecond: 200, paused: false });
    const slow = await paced;
    expect(slow.checkpointedLosses).toEqual(fast.checkpointedLosses);
    expect(slow.referenceLosses).toEqual(fast.referenceLosses);
    expect(slow.verdict?.exact).toBe(true);
    expect(slow.verdict?.resumedHash).toBe(fast.verdict?.resumedHash);
  });

  it('a stop ends a paused run at once, and the next run starts with the gate closed again', async () => {
    const { make } = newSession();
    const s = make();
    s.setPace({ stepsPerSecond: null, paused: true });
    const run = s.runExperiment('run', testConfig({ steps: 10, saveEverySteps: 5 }));
    await new Promise((r) => setTimeout(r, 50));
    s.stop();
    expect((await run).end).toBe('stopped');
    expect(() => s.setPace({ stepsPerSecond: 0, paused: false })).toThrow(/invalid pace/);
  });
});

describe('warm-up', () => {
  it('compiles on throwaway objects: a run after it equals a run without it', async () => {
    const config = testConfig({ steps: 6, saveEverySteps: 3 });
    const cold = await newSession().make().runExperiment('run', config);
    const { make, events } = newSession();
    const s = make();
    const warm = s.warmUp(config);
    const run = s.runExperiment('run', config);
    expect((await warm).ms).toBeGreaterThanOrEqual(0);
    const after = await run;
    expect(after.checkpointedLosses).toEqual(cold.checkpointedLosses);
    expect(events.filter((e) => e.type === 'warmup').map((e) => e.type === 'warmup' && e.state)).toEqual(['start', 'done']);
    // The run waited for the warm-up: its first event comes after the warm-up's last.
    expect(events.findIndex((e) => e.type === 'phase')).toBeGreaterThan(events.findIndex((e) => e.type === 'warmup' && e.state === 'done'));
  });
});

describe('a corrupt newest checkpoint', () => {
  it('is passed over, named and kept; the resume comes from the newest intact one and is exact', async () => {
    const { make, store } = newSession();
    await make().runExperiment('run', testConfig({ steps: 12, saveEverySteps: 3 }), { crashAtStep: 9 });
    // Flip one bit of the step-9 checkpoint's tensor bytes, as a bad disk would.
    await store('readwrite', async (os) => {
      const keys = runKeys('run');
      const manifest = await promisifyRequest<{ checkpoints: Array<{ step: number; slot: number }> }>(os.get(keys.manifest));
      const slot = manifest.checkpoints.find((c) => c.step === 9)!.slot;
      const data = await promisifyRequest<ArrayBuffer>(os.get(keys.slotData(slot)));
      new Uint8Array(data)[12] ^= 0x04;
      os.put(data, keys.slotData(slot));
      return promisifyRequest(os.transaction);
    });
    await expect(make().resume('run', { step: 9 })).rejects.toThrow(CheckpointCorruptError);
    const resumed = await make().resume('run');
    expect(resumed.restoredFrom).toBe(6);
    expect(resumed.skipped).toHaveLength(1);
    expect(resumed.skipped[0].step).toBe(9);
    expect(resumed.skipped[0].path).toMatch(/^model\//);
    expect(resumed.skipped[0].message).toMatch(/step 9 .*failed its checksum/);
    expect(resumed.verdict?.exact).toBe(true);
    const { record } = (await make().findInterrupted()) ?? { record: (await make().listRuns())[0] };
    expect(record.corruptSteps?.map((c) => c.step)).toEqual([9]);
  });
});

describe('pitfalls never pass silently', () => {
  // Every pitfall × optimizer × restore step: the resume diverges, is refused with a named error,
  // or says it had no visible effect here, and why; and that agrees with what the page says before the run.
  const cases = PITFALLS.filter((p) => p !== 'none').flatMap((pitfall) => OPTIMIZERS.flatMap((optimizer) => [3, 9, 15].map((crash) => ({ pitfall, optimizer, crash }))));
  it.each(cases)('$pitfall with $optimizer, crash at $crash', async ({ pitfall, optimizer, crash }) => {
    const config = testConfig({ steps: 18, saveEverySteps: 3, optimizer, lr: optimizer === 'sgd' ? 0.1 : 0.01, pitfall });
    const effect = pitfallEffect(config)!;
    const { make } = newSession();
    await make().runExperiment('run', config, { crashAtStep: crash });
    const outcome = await make().resume('run').catch((e: unknown) => e);
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(StructureMismatchError);
      expect(pitfall).toBe('template-mismatch');
      return;
    }
    const r = outcome as Awaited<ReturnType<Session['resume']>>;
    expect(r.pitfall).not.toBeNull();
    if (r.pitfall!.outcome === 'diverged') {
      expect(r.verdict!.exact).toBe(false);
      expect(effect.bites).not.toBe('never');
    } else {
      expect(r.verdict!.exact).toBe(true);
      expect(effect.bites).not.toBe('always');
      expect(r.pitfall!.why.length).toBeGreaterThan(20);
    }
  });
});
