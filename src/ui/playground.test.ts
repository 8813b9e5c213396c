import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import type { CheckpointInfo, ExperimentResult, ResumeResult, RunRecord, Verdict } from '../protocol';
import type { Found } from './FoundRun';
import {
  crashStepOf,   asError, canArmWriteNow, crashPatch, experimentOutcome, idleText, interruptedView, lostRun, newRunId, parseCrashAt, resumeOutcome,
  stepsLeft, stepsLost, stopPatch, waitMs,
} from './playground';
import type { CrashMark, RunProgress } from './progressStore';

const config = { ...DEFAULT_CONFIG, steps: 40, pitfall: 'omit-optimizer' as const };
const ckpt = (step: number): CheckpointInfo => ({ step, savedAtMs: 0, bytes: 1, tensorCount: 1, digest: 0, slot: 0 });
const record = (extra: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'run-a', config, status: 'training', createdAtMs: 1, updatedAtMs: 2, referenceLosses: [0.9, 0.8], ...extra,
});
const mark = (kind: CrashMark['kind'], step: number): CrashMark => ({ kind, phase: 'checkpointed', step, atMs: 5 });
const progress = (extra: Partial<RunProgress> = {}): RunProgress => ({
  v: 2, runId: 'run-a', config, curves: { reference: [1, 2], checkpointed: [1, 2, 3], resumed: [] }, restoreStep: null,
  crashAtStep: null, checkpoints: [5], phase: 'checkpointed', step: 13, crash: null, done: false, updatedAtMs: 7, ...extra,
});
const verdict = (exact: boolean): Verdict => ({
  maxLossDiff: exact ? 0 : 0.5, maxParamDiff: exact ? 0 : 0.25, firstDivergentStep: exact ? null : 12, stepsCompared: 40,
  lengthsMatch: true, tensors: [], referenceHash: 'a', resumedHash: exact ? 'a' : 'b', exact,
});

describe('run ids and errors', () => {
  it('makes ids that sort by time', () => {
    expect(newRunId(36 ** 3, () => 0.5)).toBe('run-1000-i');
    expect(newRunId(Date.UTC(2025, 0, 1)) < newRunId(Date.UTC(2025, 0, 2))).toBe(true);
    expect(newRunId()).toMatch(/^run-[0-9a-z]+-[0-9a-z]{0,4}$/);
  });

  it('turns anything thrown into an Error', () => {
    const e = new TypeError('x');
    expect(asError(e)).toBe(e);
    expect(asError('boom').message).toBe('boom');
  });
});

describe('throttle wait', () => {
  it('waits out the rest of the interval, never less than 0', () => {
    expect(waitMs(1000, 900, 250)).toBe(150);
    expect(waitMs(1000, 0, 250)).toBe(0);
  });
});

describe('crash at step', () => {
  it('reads the field against the run length', () => {
    expect(parseCrashAt('', 60)).toEqual({ step: null, error: null });
    expect(parseCrashAt(' 17 ', 60)).toEqual({ step: 17, error: null });
    expect(parseCrashAt('0', 60).error).toMatch(/whole number from 1/);
    expect(parseCrashAt('2.5', 60).error).toMatch(/whole number from 1/);
    expect(parseCrashAt('500', 60)).toEqual({ step: null, error: "crash before the run's last step: the run has 60 steps, so at most 59" });
    expect(parseCrashAt('60', 60).error).toMatch(/at most 59/);
    expect(parseCrashAt('59', 60)).toEqual({ step: 59, error: null });
    expect(parseCrashAt('500', null)).toEqual({ step: 500, error: null });
  });
});

describe('progress line', () => {
  it('counts the steps left in the watched run (the reference runs beside it)', () => {
    expect(stepsLeft({ phase: 'checkpointed', step: 10, totalSteps: 40, crashAtStep: null })).toBe(30);
    expect(stepsLeft({ phase: 'checkpointed', step: 10, totalSteps: 40, crashAtStep: 17 })).toBe(7);
    expect(stepsLeft({ phase: 'resumed', step: 30, totalSteps: 40, crashAtStep: 17 })).toBe(10);
    expect(stepsLeft({ phase: 'checkpointed', step: 20, totalSteps: 40, crashAtStep: 17 })).toBe(0);
    expect(stepsLeft({ phase: null, step: 0, totalSteps: 40, crashAtStep: null })).toBe(40);
  });

  it('takes the crash step as at least the newest committed checkpoint', () => {
    // The checkpoint of step 20 committed before the page saw step 20.
    const f: Found = { record: record(), checkpoints: [ckpt(10), ckpt(20)], crash: mark('tab', 19) };
    expect(crashStepOf(f)).toBe(20);
    expect(stepsLost(f)).toBe(0);
    expect(crashStepOf({ ...f, crash: mark('tab', 23) })).toBe(23);
    expect(crashStepOf({ ...f, crash: null, record: record({ crashAtStep: undefined }) })).toBeNull();
  });

  it('says what to do while nothing runs', () => {
    const found: Found = { record: record(), checkpoints: [ckpt(10), ckpt(15)], crash: mark('tab', 17) };
    expect(idleText(found, { done: false, restoreStep: null }, 40)).toBe('Interrupted at step 17: press Resume to continue from step 15.');
    expect(idleText({ ...found, crash: null, checkpoints: [] }, { done: false, restoreStep: null }, 40)).toBe('Interrupted at step ?: press Resume to continue from step ?.');
    expect(idleText(null, { done: true, restoreStep: 15 }, 40)).toBe('Finished: the resumed run reached step 40.');
    expect(idleText(null, { done: true, restoreStep: null }, 40)).toBe('Finished: the run reached step 40.');
    expect(idleText(null, { done: false, restoreStep: null }, 40)).toBe('Ready. Press Run experiment.');
  });
});

describe('steps lost', () => {
  it('is the crash step minus the last checkpoint, from the page log or else the record', () => {
    expect(stepsLost({ record: record(), checkpoints: [ckpt(10), ckpt(15)], crash: mark('step', 17) })).toBe(2);
    expect(stepsLost({ record: record({ crashAtStep: 19 }), checkpoints: [ckpt(15)], crash: null })).toBe(4);
    expect(stepsLost({ record: record(), checkpoints: [ckpt(15)], crash: null })).toBeNull();
    expect(stepsLost({ record: record(), checkpoints: [ckpt(15)], crash: mark('write', 12) })).toBe(0);
  });
});

describe('crash controls', () => {
  it('arms the write crash at once only in phase 2 or a resume with a committed checkpoint', () => {
    expect(canArmWriteNow('running', { phase: 'checkpointed', checkpointSteps: [5] })).toBe(true);
    expect(canArmWriteNow('resuming', { phase: 'resumed', checkpointSteps: [5] })).toBe(true);
    expect(canArmWriteNow('running', { phase: 'checkpointed', checkpointSteps: [] })).toBe(false);
    expect(canArmWriteNow('running', { phase: 'reference', checkpointSteps: [5] })).toBe(false);
    expect(canArmWriteNow('idle', { phase: 'checkpointed', checkpointSteps: [5] })).toBe(false);
    expect(canArmWriteNow('starting', { phase: null, checkpointSteps: [] })).toBe(false);
  });

  it('marks where a crash pulled the plug; a crash during a resume keeps the phase 2 crash step', () => {
    const curves = { reference: [1, 2, 3, 4, 5], checkpointed: [1, 2, 3.5], resumed: [] };
    expect(crashPatch({ phase: 'checkpointed', step: 13, curves, restoreStep: null }, 'write', 9, 15)).toEqual({
      crash: { kind: 'write', phase: 'checkpointed', step: 13, atMs: 9, writeStep: 15 }, crashAtStep: 13, curves,
    });
    // A crash during a resume: the crashed curve becomes phase 2 up to the restore, then the resumed steps.
    const resumed = { reference: [1, 2, 3, 4, 5], checkpointed: [1, 2, 3.5], resumed: [undefined, undefined, 3, 4] as number[] };
    expect(crashPatch({ phase: 'resumed', step: 4, curves: resumed, restoreStep: 2 }, 'chaos-worker', 9)).toEqual({
      crash: { kind: 'chaos-worker', phase: 'resumed', step: 4, atMs: 9 }, crashAtStep: 4,
      curves: { reference: [1, 2, 3, 4, 5], checkpointed: [1, 2, 3, 4], resumed: [] },
    });
  });

  it('marks a stop, with a crash step only in phase 2', () => {
    expect(stopPatch({ phase: 'checkpointed', step: 13 }, 9)).toEqual({ crash: { kind: 'stop', phase: 'checkpointed', step: 13, atMs: 9 }, crashAtStep: 13 });
    expect(stopPatch({ phase: 'reference', step: 13 }, 9).crashAtStep).toBeNull();
  });
});

describe('found and lost runs', () => {
  it('shows a found run from its record and the page log', () => {
    const p = progress({ crash: mark('tab', 17), crashAtStep: 17, checkpoints: [5, 10] });
    const { found, live } = interruptedView({ record: record(), checkpoints: [ckpt(10), ckpt(15)] }, p);
    expect(found.crash).toEqual(mark('tab', 17));
    expect(live).toMatchObject({
      runId: 'run-a', config, crashAtStep: 17, phase: 'checkpointed', step: 17, totalSteps: 40, checkpointSteps: [5, 10, 15],
      curves: { reference: [0.9, 0.8], checkpointed: [1, 2, 3], resumed: [] },
    });
  });

  it('without a crash mark, takes the last step the page logged', () => {
    const { found, live } = interruptedView({ record: record(), checkpoints: [ckpt(10)] }, progress());
    expect(found.crash).toEqual({ kind: 'unknown', phase: 'checkpointed', step: 13, atMs: 7 });
    expect(live.crashAtStep).toBe(13);
  });

  it('without a page log, takes the record’s crash step, or none', () => {
    const withStep = interruptedView({ record: record({ crashAtStep: 12 }), checkpoints: [ckpt(10)] }, null);
    expect(withStep.found.crash).toEqual({ kind: 'unknown', phase: 'checkpointed', step: 12, atMs: 2 });
    expect(withStep.live.curves?.checkpointed).toEqual([]);
    const none = interruptedView({ record: record({ referenceLosses: undefined }), checkpoints: [ckpt(10)] }, null);
    expect(none.found.crash).toBeNull();
    expect(none.live).toMatchObject({ crashAtStep: null, phase: null, step: 0, curves: { reference: [] } });
  });

  it('reports a crash with nothing to resume once, and never a stop', () => {
    expect(lostRun('run-a', progress({ crash: mark('tab', 3) }))).toEqual({ runId: 'run-a', crash: mark('tab', 3), config });
    expect(lostRun('run-a', progress({ crash: mark('tab', 3), done: true }))).toBeNull();
    expect(lostRun('run-a', progress({ crash: mark('stop', 3) }))).toBeNull();
    expect(lostRun('run-a', progress())).toBeNull();
    expect(lostRun(null, null)).toBeNull();
  });
});

describe('verdict panel', () => {
  it('shows the session’s verdict of a run that finished without a crash', () => {
    const result: ExperimentResult = { runId: 'run-a', referenceLosses: [], checkpointedLosses: [], end: 'finished', checkpoints: [], verdict: verdict(true) };
    expect(experimentOutcome(result, 40)).toEqual({ kind: 'uncrashed', verdict: verdict(true), steps: 40 });
    expect(experimentOutcome({ ...result, verdict: null }, 40)).toBeNull();
  });

  it('shows a resume’s verdict with the steps lost and the pitfall, or that it stopped', () => {
    const found: Found = { record: record(), checkpoints: [ckpt(15)], crash: mark('step', 17) };
    const r: ResumeResult = {
      runId: 'run-a', restoredFrom: 15, stepsLost: 9, skipped: [], resumedLosses: new Array<number>(40).fill(1), referenceLosses: [], end: 'finished', verdict: verdict(false),
      crossBackend: null, pitfall: { outcome: 'diverged', why: 'the moments restart' },
    };
    expect(resumeOutcome(r, found)).toEqual({
      outcome: { kind: 'verdict', verdict: verdict(false), restoredFrom: 15, stepsLost: 2, pitfall: 'omit-optimizer', pitfallOutcome: r.pitfall, skipped: [] },
      notice: 'The resumed run diverged from the reference.',
    });
    expect(resumeOutcome({ ...r, verdict: verdict(true) }, { ...found, crash: null }).outcome).toMatchObject({ stepsLost: 9 });
    // A pitfall that came out exact is said to have had no effect, never that the run matches.
    expect(resumeOutcome({ ...r, verdict: verdict(true), pitfall: { outcome: 'no-effect', why: 'SGD keeps no state.' } }, found).notice)
      .toBe('The mistake had no visible effect here: SGD keeps no state.');
    const correct = { ...found, record: record({ config: { ...config, pitfall: 'none' } }) };
    expect(resumeOutcome({ ...r, verdict: verdict(true), pitfall: null }, correct).notice).toBe('The resumed run matches the reference bit for bit.');
    // A corrupt newest checkpoint passed over is named before the verdict's words.
    expect(resumeOutcome({ ...r, verdict: verdict(true), pitfall: null, restoredFrom: 10, skipped: [{ step: 15, message: 'x', path: 'model/w', digest: 1 }] }, correct).notice)
      .toBe('Step 15 failed its checks in model/w; resumed from step 10. The resumed run matches the reference bit for bit.');
    expect(resumeOutcome({ ...r, verdict: null, resumedLosses: [1, 2, 3] }, found)).toEqual({ outcome: { kind: 'stopped', atStep: 3 }, notice: '' });
  });
});
