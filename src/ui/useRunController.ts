/**
 * The experiment's orchestration: run it (reference, then the same run with
 * checkpoints), stop it, resume a found run into a fresh worker, and the
 * crash controls (crash now, at a step of phase 2, or during the next
 * checkpoint write). Engine events feed the live run here, and the crash
 * triggers act on them at once, before any batching.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { VISUAL_EVERY_MS } from '../core/constants';
import type { RunConfig } from '../core/config';
import type { InterruptedRun, Pace, SessionEvent } from '../protocol';
import type { Found } from './FoundRun';
import {
  asError, canArmWriteNow, crashPatch, experimentOutcome, newRunId, parseCrashAt, resumeOutcome, stopPatch, type CrashAt,
} from './playground';
import type { Activity } from './ProgressBar';
import { loadAutoResume, saveAutoResume, type CrashMark } from './progressStore';
import type { EngineHandle } from './useEngine';
import type { LiveRunHandle } from './useLiveRun';
import type { Outcome } from './VerdictPanel';

/** The crash during a checkpoint write: off, waiting for phase 2's first checkpoint, or armed in the engine. */
export type WritePlan = 'no' | 'waiting' | 'armed';

/** What the controller shows and what it can do. */
export interface RunController {
  /** What the playground is doing. */
  activity: Activity;
  /** What the verdict panel shows, or null. */
  outcome: Outcome | null;
  /** Text of the crash-at-step field ('' = off). */
  crashAt: string;
  /** That text read against the configured run's length. */
  crashAtParsed: CrashAt;
  /** The step the current run's phase 2 was set to stop after when it started, or null. */
  crashAtStep: number | null;
  /** Sets the crash-at-step field's text. */
  setCrashAt: (text: string) => void;
  /** Whether the crash during a checkpoint write is armed, and how. */
  writeArmed: WritePlan;
  /** Whether a found run resumes by itself after the reload. */
  autoResume: boolean;
  /** Remembers the auto-resume choice. */
  toggleAutoResume: (on: boolean) => void;
  /** Runs the configured experiment (or `config`, when given) under a new run id. */
  runExperiment: (config?: RunConfig) => Promise<void>;
  /** Resumes a found run in a fresh worker from its newest intact checkpoint (or `step`) and shows the verdict. */
  resume: (found: Found, step?: number) => Promise<void>;
  /** Stops the running phase after its current step. */
  stop: () => void;
  /** Crashes the tab now. */
  crashTab: () => void;
  /** Crashes the tab now, saying which control did it. */
  crash: (kind: CrashMark['kind']) => void;
  /** Kills the training worker now (not the page) and resumes the run in a fresh one. */
  crashWorker: (kind: CrashMark['kind']) => Promise<void>;
  /** Arms the crash during the next checkpoint write (at once when phase 2 has committed a checkpoint, else when it does). */
  armWrite: () => void;
}

/** What the controller needs from the rest of the page. */
export interface RunControllerDeps {
  /** The training worker. */
  engine: Pick<EngineHandle, 'call' | 'ensure' | 'fresh' | 'crash' | 'killWorker' | 'isCrashing' | 'subscribe'>;
  /** The live run. */
  run: Pick<LiveRunHandle, 'current' | 'ingest' | 'patch' | 'reset'>;
  /** The configured run, or null while the form has problems. */
  config: RunConfig | null;
  /** Follows a run's checkpoints, refreshes them, and hears of new ones. */
  follow: { show: (runId: string | null) => void; refresh: () => Promise<void>; onCheckpoint: (runId: string) => void };
  /** Takes an interrupted run as the found one; forgets the found and lost runs. */
  found: { adopt: (got: InterruptedRun) => Found; clear: () => void };
  /** Refreshes the runs list. */
  refreshRuns: () => Promise<void>;
  /** Adds a failure to the error log. */
  reportError: (context: string, e: unknown) => void;
  /** Replaces the status line. */
  notify: (text: string) => void;
  /** The pace the page shows, sent to every worker a run starts in (a worker starts unpaced). */
  pace: { current: () => Pace };
}

/** Owns the run, resume and crash orchestration. */
export function useRunController({ engine, run, config: formConfig, follow, found, refreshRuns, reportError, notify, pace }: RunControllerDeps): RunController {
  const { call, ensure, fresh, crash, killWorker, isCrashing, subscribe } = engine;
  // Set while a worker killed on purpose takes its pending call down with it: that call's failure is no news.
  const killedOnPurpose = useRef(false);
  const quiet = useCallback(() => isCrashing() || killedOnPurpose.current, [isCrashing]);
  const { current, ingest, patch, reset } = run;
  const { show, refresh: refreshCheckpoints, onCheckpoint } = follow;
  const { adopt, clear: clearFound } = found;

  const [activity, setActivityState] = useState<Activity>('idle');
  // Read by the crash handler, which must not be re-created on every change.
  const activityNow = useRef<Activity>('idle');
  const setActivity = useCallback((a: Activity) => {
    activityNow.current = a;
    setActivityState(a);
  }, []);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [crashAt, setCrashAt] = useState('');
  const [crashAtStep, setCrashAtStep] = useState<number | null>(null);
  const [writeArmed, setWriteArmed] = useState<WritePlan>('no');
  // Read by the event handler as events arrive, ahead of React's state.
  const writePlan = useRef<WritePlan>('no');
  const setWrite = useCallback((s: WritePlan) => {
    writePlan.current = s;
    setWriteArmed(s);
  }, []);
  const [autoResume, setAutoResume] = useState(loadAutoResume);

  const crashNow = useCallback((kind: CrashMark['kind'], writeStep?: number) => {
    if (isCrashing()) return;
    const r = current();
    const inRun = activityNow.current !== 'idle';
    setActivity('crashing');
    if (inRun && r.runId && !r.done) patch(crashPatch(r, kind, Date.now(), writeStep));
    crash();
  }, [isCrashing, current, patch, crash, setActivity]);

  const arm = useCallback(() => {
    setWrite('armed');
    call('armCrashDuringWrite', {}).catch((e: unknown) => reportError('Arming the crash during a write', e));
  }, [call, reportError, setWrite]);

  const onEvents = useCallback((events: SessionEvent[]) => {
    if (isCrashing()) return;
    ingest(events);
    const r = current();
    for (const e of events) {
      if (e.runId !== r.runId) continue;
      if (e.type === 'checkpoint-write-open' && writePlan.current === 'armed') {
        crashNow('write', e.step);
        return;
      }
      if (e.type === 'checkpoint' && writePlan.current === 'waiting' && r.phase !== 'reference') arm();
      if (e.type === 'checkpoint') onCheckpoint(e.runId);
      // The resume has stored what it found (corrupt checkpoints it passed over): the lists show it.
      if (e.type === 'phase' && e.phase === 'resumed') void refreshRuns();
      if (e.type === 'storage-warning') reportError('Storage', Object.assign(new Error(e.message), { name: 'StorageFullError' }));
      if (e.type === 'checkpoint-error') {
        reportError(`Checkpoint at step ${e.step}`, Object.assign(new Error(e.error.message), { name: e.error.name }));
      }
    }
  }, [isCrashing, ingest, current, crashNow, arm, onCheckpoint, reportError, refreshRuns]);
  useEffect(() => subscribe(onEvents), [subscribe, onEvents]);

  // After a run or a resume, whatever its end, the lists show what it left in storage.
  const settle = useCallback(() => {
    if (quiet()) return;
    setActivity('idle');
    void refreshRuns();
    void refreshCheckpoints();
  }, [quiet, setActivity, refreshRuns, refreshCheckpoints]);

  const resume = useCallback(async (f: Found, step?: number) => {
    const { record } = f;
    setActivity('resuming');
    setOutcome(null);
    notify('');
    patch({ curves: { ...current().curves, resumed: [] }, restoreStep: null, phase: null, done: false, totalSteps: record.config.steps });
    show(record.runId);
    try {
      await fresh(record.config.backend);
      await call('setPace', pace.current());
      const r = await call('resume', { runId: record.runId, visualEveryMs: VISUAL_EVERY_MS, ...(step !== undefined ? { step } : {}) }, true);
      patch({
        curves: { reference: r.referenceLosses, checkpointed: current().curves.checkpointed, resumed: r.resumedLosses },
        restoreStep: r.restoredFrom, done: r.end === 'finished', step: r.resumedLosses.length,
      });
      const shown = resumeOutcome(r, f);
      setOutcome(shown.outcome);
      notify(shown.notice);
      clearFound();
    } catch (e) {
      if (quiet()) return;
      const err = asError(e);
      setOutcome({ kind: 'refused', error: err, pitfall: record.config.pitfall });
      reportError(`Resuming run ${record.runId}`, err);
    } finally {
      settle();
    }
  }, [call, fresh, current, patch, show, clearFound, quiet, reportError, notify, setActivity, settle, pace]);

  const crashAtParsed = parseCrashAt(crashAt, formConfig?.steps ?? null);
  const runExperiment = useCallback(async (given?: RunConfig) => {
    const config = given ?? formConfig;
    if (!config || crashAtParsed.error) return;
    const runId = newRunId();
    const stopAfter = crashAtParsed.step;
    setOutcome(null);
    clearFound();
    notify('');
    setCrashAtStep(stopAfter);
    reset({ runId, config, totalSteps: config.steps });
    show(runId);
    setActivity('starting');
    try {
      await ensure(config.backend);
      await call('setPace', pace.current());
      setActivity('running');
      const result = await call('runExperiment', {
        runId, config, visualEveryMs: VISUAL_EVERY_MS, ...(stopAfter !== null ? { crashAtStep: stopAfter } : {}),
      }, true);
      if (result.end === 'halted') {
        // The worker stopped right after the crash step with its checkpoints committed: now pull the plug.
        crashNow('step');
        return;
      }
      patch({ curves: { reference: result.referenceLosses, checkpointed: result.checkpointedLosses, resumed: [] }, done: result.end === 'finished' });
      if (result.end === 'finished') {
        setOutcome(experimentOutcome(result, config.steps));
        notify(`Run ${runId} finished without a crash.`);
        if (writePlan.current !== 'no') {
          // An unfired arm lives on in the worker's session: replace the worker so the next run starts clean.
          if (writePlan.current === 'armed') void fresh(config.backend).catch((e: unknown) => reportError('Restarting the engine', e));
          setWrite('no');
          notify('The run finished before another checkpoint write: the armed crash did not fire.');
        }
      } else {
        const r = current();
        patch(stopPatch(r, Date.now()));
        setOutcome({ kind: 'stopped', atStep: r.step });
        const got = await call('findInterrupted', {});
        if (got?.record.runId === runId) adopt(got);
      }
    } catch (e) {
      if (quiet()) return;
      reportError('Running the experiment', e);
    } finally {
      settle();
    }
  }, [
    formConfig, crashAtParsed.error, crashAtParsed.step, call, ensure, fresh, current, patch, reset, show, adopt, clearFound,
    crashNow, quiet, reportError, notify, setActivity, setWrite, settle, pace,
  ]);

  const stop = useCallback(() => {
    setActivity('stopping');
    call('stop', {}).catch((e: unknown) => reportError('Stopping', e));
  }, [call, reportError, setActivity]);

  const crashTab = useCallback(() => crashNow('tab'), [crashNow]);

  const crashWorker = useCallback(async (kind: CrashMark['kind']) => {
    const r = current();
    if (isCrashing() || !r.runId || !r.config) return;
    patch(crashPatch(r, kind, Date.now()));
    killedOnPurpose.current = true;
    killWorker();
    try {
      await ensure(r.config.backend);
      killedOnPurpose.current = false;
      const got = await call('findInterrupted', {});
      if (got?.record.runId === r.runId) await resume(adopt(got));
    } catch (e) {
      killedOnPurpose.current = false;
      reportError('Resuming after the worker was killed', e);
      setActivity('idle');
    }
  }, [current, isCrashing, patch, killWorker, ensure, call, resume, adopt, reportError, setActivity]);

  const armWrite = useCallback(() => {
    if (canArmWriteNow(activity, current())) arm();
    else setWrite('waiting');
  }, [activity, current, arm, setWrite]);

  const toggleAutoResume = useCallback((on: boolean) => {
    setAutoResume(on);
    saveAutoResume(on);
  }, []);

  return {
    activity, outcome, crashAt, crashAtParsed, crashAtStep, setCrashAt, writeArmed, autoResume, toggleAutoResume,
    runExperiment, resume, stop, crashTab, crash: crashNow, crashWorker, armWrite,
  };
}
