/**
 * The playground: configure a run, train it in the worker (reference, then
 * the same run with checkpoints), crash the tab, find the interrupted run
 * after the reload, resume it into fresh objects, and compare it with the
 * reference bit for bit. Training never runs on this thread: this component
 * only sends requests and draws batched events.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import './app.css';
import type { CheckpointInfo, CheckpointInspection, RunRecord } from '../checkpoint';
import { CHECKPOINT_LIST_REFRESH_MS, VISUAL_EVERY_MS } from '../constants';
import { BACKENDS, DEFAULT_CONFIG, type BackendName, type Pitfall, type RunConfig } from '../engine/config';
import { datasetClasses } from '../engine/data/synthetic';
import type { SessionEvent } from '../engine/session';
import type { InterruptedRun, StorageReport } from '../protocol';
import { BackendBadge } from './BackendBadge';
import { CheckpointsPanel } from './CheckpointsPanel';
import { ConfigForm } from './ConfigForm';
import { CrashControls } from './CrashControls';
import { DiffChart } from './DiffChart';
import { ErrorLog, type ShownError } from './ErrorLog';
import { FoundRun, stepsLost, type Found, type Lost } from './FoundRun';
import { LossChart } from './LossChart';
import { PitfallPicker } from './PitfallPicker';
import { ProgressBar, type Activity } from './ProgressBar';
import {
  clearAllProgress, lastRunId, loadAutoResume, loadProgress, removeProgress, saveAutoResume, saveProgress, type CrashMark,
} from './progressStore';
import { RunsPanel } from './RunsPanel';
import { comparedCurve } from './series';
import { StateInspector } from './StateInspector';
import { TaskView } from './TaskView';
import { UI_THROTTLE } from './uiFlags';
import { useEngine } from './useEngine';
import { useLiveRun } from './useLiveRun';
import { formFromConfig, formFromSearch, parseForm, searchFromForm, type ConfigForm as Form } from './urlConfig';
import { VerdictPanel, type Outcome } from './VerdictPanel';

/** A run id that sorts by time and reads well: run-<base36 time>-<4 random chars>. */
function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Parses the crash-at-step field against the run's length: the step, null when off, or a reason. */
function parseCrashAt(text: string, steps: number | null): { step: number | null; error: string | null } {
  const t = text.trim();
  if (t === '') return { step: null, error: null };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1) return { step: null, error: 'the crash step must be a whole number from 1' };
  if (steps !== null && n > steps) return { step: null, error: `the run has only ${steps} steps` };
  return { step: n, error: null };
}

/** The playground application. */
export function App() {
  const initial = useMemo(() => formFromSearch(location.search), []);
  const [form, setForm] = useState<Form>(initial.form);
  const [pitfall, setPitfall] = useState<Pitfall>(initial.pitfall);
  const parsed = useMemo(() => parseForm(form), [form]);

  const [activity, setActivityState] = useState<Activity>('idle');
  // Read by callbacks that must not be re-created on every change (the crash handler).
  const activityRef = useRef<Activity>('idle');
  const setActivity = useCallback((a: Activity) => {
    activityRef.current = a;
    setActivityState(a);
  }, []);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  const [lost, setLost] = useState<Lost | null>(null);
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [notice, setNotice] = useState('');
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [storage, setStorage] = useState<StorageReport | null>(null);
  const [panelRunId, setPanelRunId] = useState<string | null>(null);
  const [ckptList, setCkptList] = useState<CheckpointInfo[]>([]);
  const [inspection, setInspection] = useState<CheckpointInspection | null>(null);
  const [crashAt, setCrashAt] = useState('');
  const [writeArmed, setWriteArmed] = useState<'no' | 'waiting' | 'armed'>('no');
  const [autoResume, setAutoResume] = useState(loadAutoResume);

  const run = useLiveRun();
  const crashing = useRef(false);
  const writePlan = useRef<'no' | 'waiting' | 'armed'>('no');
  const haltAt = useRef<number | null>(null);
  const errorId = useRef(0);
  const follow = useRef({ runId: null as string | null, latest: true, busy: false, again: false, timer: null as ReturnType<typeof setTimeout> | null, lastMs: 0 });

  const onEventsRef = useRef<(events: SessionEvent[]) => void>(() => undefined);
  const engine = useEngine(useCallback((events: SessionEvent[]) => onEventsRef.current(events), []));
  const { call, ensure, fresh, crash: killAndReload } = engine;

  const setWrite = useCallback((s: 'no' | 'waiting' | 'armed') => {
    writePlan.current = s;
    setWriteArmed(s);
  }, []);

  const reportError = useCallback((context: string, e: unknown) => {
    const err = asError(e);
    setErrors((list) => [...list.slice(-4), { id: ++errorId.current, context, name: err.name || 'Error', message: err.message }]);
  }, []);

  // ---- URL <-> controls ----
  const writeUrl = useCallback((f: Form, p: Pitfall) => {
    history.replaceState(history.state, '', `${location.pathname}${searchFromForm(f, p, location.search)}${location.hash}`);
  }, []);
  const changeField = useCallback((field: keyof RunConfig, value: string) => {
    setForm((f) => {
      const next = { ...f, [field]: value };
      writeUrl(next, pitfall);
      return next;
    });
  }, [pitfall, writeUrl]);
  const changePitfall = useCallback((p: Pitfall) => {
    setPitfall(p);
    writeUrl(form, p);
  }, [form, writeUrl]);
  const adoptConfig = useCallback((config: RunConfig, p: Pitfall) => {
    const f = formFromConfig(config);
    setForm(f);
    setPitfall(p);
    writeUrl(f, p);
  }, [writeUrl]);

  // ---- the crash itself ----
  const crashNow = useCallback((kind: CrashMark['kind'], writeStep?: number) => {
    if (crashing.current) return;
    crashing.current = true;
    const r = run.current();
    const inRun = activityRef.current !== 'idle';
    setActivity('crashing');
    if (inRun && r.runId && !r.done) {
      // The page's own note of where it pulled the plug; the engine saves nothing on the way out.
      const mark: CrashMark = { kind, phase: r.phase, step: r.step, atMs: Date.now(), ...(writeStep !== undefined ? { writeStep } : {}) };
      run.patch({ crash: mark, crashStep: r.phase === 'resumed' ? r.crashStep : r.step });
    }
    killAndReload();
  }, [run, killAndReload, setActivity]);

  // ---- checkpoints of the run on screen: listed and inspected, one request at a time ----

  const refreshCheckpoints = useCallback(async () => {
    const f = follow.current;
    if (f.busy) { f.again = true; return; }
    f.busy = true;
    try {
      do {
        f.again = false;
        const runId = f.runId;
        if (!runId) { setCkptList([]); setInspection(null); break; }
        const list = await call('listCheckpoints', { runId });
        if (follow.current.runId !== runId) continue;
        // Transitions: the panels may render in slices, behind the charts and the progress bar.
        startTransition(() => setCkptList(list));
        if (f.latest && list.length > 0) {
          const got = await call('inspect', { runId, step: list[list.length - 1].step });
          if (follow.current.runId === runId && f.latest) startTransition(() => setInspection(got));
        } else if (list.length === 0) {
          startTransition(() => setInspection(null));
        }
      } while (f.again);
    } catch (e) {
      if (!crashing.current) reportError('Listing checkpoints', e);
    } finally {
      f.busy = false;
    }
  }, [call, reportError]);

  // During a fast run checkpoints commit many times a second; the panels follow at most every CHECKPOINT_LIST_REFRESH_MS.
  const scheduleCheckpointRefresh = useCallback(() => {
    const f = follow.current;
    if (!UI_THROTTLE) {
      // Throttles off: every checkpoint event refreshes both panels, each reply committed at once.
      const runId = f.runId;
      if (runId) {
        void call('listCheckpoints', { runId }).then(async (list) => {
          flushSync(() => setCkptList(list));
          if (list.length === 0) return;
          const got = await call('inspect', { runId, step: list[list.length - 1].step });
          flushSync(() => setInspection(got));
        }).catch(() => undefined);
      }
      return;
    }
    if (f.timer) return;
    const wait = Math.max(0, CHECKPOINT_LIST_REFRESH_MS - (performance.now() - f.lastMs));
    f.timer = setTimeout(() => {
      f.timer = null;
      f.lastMs = performance.now();
      void refreshCheckpoints();
    }, wait);
  }, [refreshCheckpoints, call]);
  useEffect(() => () => { if (follow.current.timer) clearTimeout(follow.current.timer); }, []);

  const showRun = useCallback((runId: string | null) => {
    follow.current.runId = runId;
    follow.current.latest = true;
    setPanelRunId(runId);
    setCkptList([]);
    setInspection(null);
    if (runId) void refreshCheckpoints();
  }, [refreshCheckpoints]);

  const refreshRuns = useCallback(async () => {
    try {
      const [list, st] = await Promise.all([call('listRuns', {}), call('storage', {})]);
      setRuns(list);
      setStorage(st);
    } catch (e) {
      if (!crashing.current) reportError('Listing runs', e);
    }
  }, [call, reportError]);

  // ---- engine events: crash triggers act at once, the rest is batched ----
  useEffect(() => {
    onEventsRef.current = (events) => {
      if (crashing.current) return;
      run.ingest(events);
      const r = run.current();
      for (const e of events) {
        if (e.runId !== r.runId) continue;
        if (e.type === 'checkpoint-write-open' && writePlan.current === 'armed') {
          crashNow('write', e.step);
          return;
        }
        if (e.type === 'checkpoint' && writePlan.current === 'waiting' && r.phase !== 'reference') {
          setWrite('armed');
          call('armCrashDuringWrite', {}).catch((err: unknown) => reportError('Arming the crash during a write', err));
        }
        if (e.type === 'checkpoint' && e.runId === follow.current.runId) scheduleCheckpointRefresh();
        if (e.type === 'checkpoint-error') {
          reportError(`Checkpoint at step ${e.step}`, Object.assign(new Error(e.error.message), { name: e.error.name }));
        }
      }
    };
  }, [run, call, crashNow, scheduleCheckpointRefresh, reportError, setWrite]);

  // ---- resume ----
  const resume = useCallback(async (f: Found) => {
    const { record } = f;
    const runPitfall = record.pitfall ?? 'none';
    setActivity('resuming');
    setOutcome(null);
    setNotice('');
    const before = run.current();
    run.patch({ curves: { ...before.curves, resumed: [] }, restoreStep: null, phase: null, done: false, totalSteps: record.config.steps });
    showRun(record.runId);
    try {
      await fresh(record.config.backend);
      const r = await call('resume', { runId: record.runId, visualEveryMs: VISUAL_EVERY_MS }, true);
      const cur = run.current();
      run.patch({
        curves: { reference: r.referenceLosses, checkpointed: cur.curves.checkpointed, resumed: r.resumedLosses },
        restoreStep: r.restoredFrom, done: r.end === 'finished', step: r.resumedLosses.length,
      });
      if (r.verdict) {
        setOutcome({ kind: 'verdict', verdict: r.verdict, restoredFrom: r.restoredFrom, stepsLost: stepsLost(f) ?? r.stepsLost, pitfall: runPitfall });
        setNotice(r.verdict.exact ? 'The resumed run matches the reference bit for bit.' : 'The resumed run diverged from the reference.');
      } else {
        setOutcome({ kind: 'stopped', atStep: r.resumedLosses.length });
      }
      setFound(null);
    } catch (e) {
      if (crashing.current) return;
      const err = asError(e);
      setOutcome({ kind: 'refused', error: err, pitfall: runPitfall });
      reportError(`Resuming run ${record.runId}`, err);
    } finally {
      if (!crashing.current) {
        setActivity('idle');
        void refreshRuns();
        void refreshCheckpoints();
      }
    }
  }, [call, fresh, run, showRun, refreshRuns, refreshCheckpoints, reportError, setActivity]);

  // ---- what the reloaded page finds ----
  const adoptInterrupted = useCallback((got: InterruptedRun): Found => {
    const { record, checkpoints } = got;
    const progress = loadProgress(record.runId);
    const crash: CrashMark | null = progress?.crash
      ?? (progress ? { kind: 'unknown', phase: progress.phase, step: progress.step, atMs: progress.updatedAtMs }
        : record.crashAtStep !== undefined ? { kind: 'unknown', phase: 'checkpointed', step: record.crashAtStep, atMs: record.updatedAtMs } : null);
    const f: Found = { record, checkpoints, crash };
    adoptConfig(record.config, record.pitfall ?? 'none');
    run.reset({
      runId: record.runId, config: record.config, pitfall: record.pitfall ?? 'none',
      curves: {
        reference: record.referenceLosses ?? progress?.curves.reference ?? [],
        checkpointed: progress?.curves.checkpointed ?? [],
        resumed: [],
      },
      crashStep: progress?.crashStep ?? crash?.step ?? null,
      crash,
      checkpointSteps: [...new Set([...(progress?.checkpoints ?? []), ...checkpoints.map((c) => c.step)])].sort((a, b) => a - b),
      phase: crash?.phase ?? null, step: crash?.step ?? 0, totalSteps: record.config.steps,
    });
    setFound(f);
    showRun(record.runId);
    return f;
  }, [adoptConfig, run, showRun]);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await ensure(parseForm(initial.form).config?.backend ?? (BACKENDS.includes(initial.form.backend as BackendName) ? initial.form.backend as BackendName : DEFAULT_CONFIG.backend));
      } catch (e) {
        if (!cancelled) reportError('Starting the engine', e);
        return;
      }
      if (cancelled) return;
      void refreshRuns();
      let got: InterruptedRun | null;
      try {
        got = await call('findInterrupted', {});
      } catch (e) {
        if (!cancelled) reportError('Looking for an interrupted run', e);
        return;
      }
      if (cancelled) return;
      if (got) {
        const f = adoptInterrupted(got);
        if (loadAutoResume()) void resume(f);
        return;
      }
      const id = lastRunId();
      const p = id ? loadProgress(id) : null;
      if (id && p?.crash && !p.done && p.crash.kind !== 'stop') {
        setLost({ runId: id, crash: p.crash });
        // Said once; the next reload does not repeat it.
        saveProgress({ ...p, done: true });
      }
    })();
    return () => { cancelled = true; };
    // Runs once per mount: the boot sequence.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A backend change (while idle) restarts the worker on it, so the badge shows what will run.
  const backendChoice = parsed.config?.backend ?? null;
  useEffect(() => {
    if (!backendChoice || activity !== 'idle' || engine.requested === null || engine.requested === backendChoice) return;
    ensure(backendChoice).catch((e: unknown) => reportError(`Starting ${backendChoice}`, e));
    // Reacts to the choice only: a run ending must not restart the worker.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backendChoice]);

  // ---- run experiment ----
  const crashAtParsed = parseCrashAt(crashAt, parsed.config?.steps ?? null);
  const runExperiment = useCallback(async () => {
    const config = parsed.config;
    if (!config || crashAtParsed.error) return;
    const runId = newRunId();
    setOutcome(null);
    setFound(null);
    setLost(null);
    setNotice('');
    haltAt.current = crashAtParsed.step;
    run.reset({ runId, config, pitfall, totalSteps: config.steps });
    showRun(runId);
    setActivity('starting');
    try {
      await ensure(config.backend);
      setActivity('running');
      const result = await call('runExperiment', {
        runId, config, pitfall, visualEveryMs: VISUAL_EVERY_MS, ...(crashAtParsed.step !== null ? { haltAtStep: crashAtParsed.step } : {}),
      }, true);
      if (result.end === 'halted') {
        // The worker stopped right after step k with its checkpoints committed: now pull the plug.
        crashNow('step');
        return;
      }
      run.patch({ curves: { reference: result.referenceLosses, checkpointed: result.checkpointedLosses, resumed: [] }, done: result.end === 'finished' });
      if (result.end === 'finished') {
        let maxLossDiff = 0;
        for (let i = 0; i < result.referenceLosses.length; i++) {
          const a = result.referenceLosses[i], b = result.checkpointedLosses[i];
          if (!Object.is(a, b)) maxLossDiff = Math.max(maxLossDiff, Number.isNaN(a - b) ? Infinity : Math.abs(a - b));
        }
        const record = (await call('listRuns', {})).find((r) => r.runId === runId);
        setOutcome({
          kind: 'uncrashed', maxLossDiff, maxParamDiff: record?.verdict?.maxParamDiff ?? null,
          firstDivergentStep: record?.verdict?.firstDivergentStep ?? null, steps: config.steps,
        });
        setNotice(`Run ${runId} finished without a crash.`);
        if (writePlan.current !== 'no') {
          // An unfired arm lives on in the worker's session: replace the worker so the next run starts clean.
          if (writePlan.current === 'armed') void fresh(config.backend).catch((e: unknown) => reportError('Restarting the engine', e));
          setWrite('no');
          setNotice('The run finished before another checkpoint write: the armed crash did not fire.');
        }
      } else {
        const r = run.current();
        run.patch({ crash: { kind: 'stop', phase: r.phase, step: r.step, atMs: Date.now() }, crashStep: r.phase === 'checkpointed' ? r.step : null });
        setOutcome({ kind: 'stopped', atStep: r.step });
        const got = await call('findInterrupted', {});
        if (got?.record.runId === runId) adoptInterrupted(got);
      }
    } catch (e) {
      if (crashing.current) return;
      reportError('Running the experiment', e);
    } finally {
      if (!crashing.current) {
        setActivity('idle');
        void refreshRuns();
        void refreshCheckpoints();
      }
    }
  }, [parsed.config, crashAtParsed.error, crashAtParsed.step, pitfall, run, showRun, call, ensure, fresh, crashNow, reportError, refreshRuns, refreshCheckpoints, adoptInterrupted, setWrite, setActivity]);

  const stop = useCallback(() => {
    setActivity('stopping');
    call('stop', {}).catch((e: unknown) => reportError('Stopping', e));
  }, [call, reportError, setActivity]);

  const crashTab = useCallback(() => crashNow('tab'), [crashNow]);

  const armWrite = useCallback(() => {
    const r = run.current();
    if ((activity === 'running' || activity === 'resuming') && r.phase !== 'reference' && r.phase !== null && r.checkpointSteps.length > 0) {
      setWrite('armed');
      call('armCrashDuringWrite', {}).catch((e: unknown) => reportError('Arming the crash during a write', e));
    } else {
      setWrite('waiting');
    }
  }, [activity, call, run, reportError, setWrite]);

  const toggleAutoResume = useCallback((on: boolean) => {
    setAutoResume(on);
    saveAutoResume(on);
  }, []);

  // ---- checkpoints panel actions ----
  const inspectStep = useCallback(async (step: number) => {
    const runId = follow.current.runId;
    if (!runId) return;
    follow.current.latest = ckptList.at(-1)?.step === step;
    try {
      setInspection(await call('inspect', { runId, step }));
    } catch (e) {
      reportError(`Inspecting the checkpoint at step ${step}`, e);
    }
  }, [ckptList, call, reportError]);

  const exportStep = useCallback(async (step: number) => {
    const runId = follow.current.runId;
    if (!runId) return;
    try {
      const bytes = await call('exportCheckpoint', { runId, step });
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${runId}-step-${step}.ckpt`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNotice(`Exported the checkpoint of step ${step} (${bytes.byteLength} bytes).`);
    } catch (e) {
      reportError(`Exporting the checkpoint at step ${step}`, e);
    }
  }, [call, reportError]);

  const importFile = useCallback(async (file: File) => {
    const runId = follow.current.runId;
    if (!runId) return;
    try {
      const step = await call('importCheckpoint', { runId, bytes: new Uint8Array(await file.arrayBuffer()) });
      setNotice(`Imported ${file.name}: checkpoint of step ${step} added to ${runId}.`);
    } catch (e) {
      reportError(`Importing ${file.name}`, e);
    } finally {
      void refreshCheckpoints();
      void refreshRuns();
    }
  }, [call, reportError, refreshCheckpoints, refreshRuns]);

  // ---- runs panel actions ----
  const deleteRun = useCallback(async (runId: string) => {
    try {
      await call('deleteRun', { runId });
      removeProgress(runId);
      if (follow.current.runId === runId) showRun(null);
      if (found?.record.runId === runId) setFound(null);
      setNotice(`Deleted run ${runId}.`);
    } catch (e) {
      reportError(`Deleting run ${runId}`, e);
    } finally {
      void refreshRuns();
    }
  }, [call, found, refreshRuns, reportError, showRun]);

  const clearAll = useCallback(async () => {
    try {
      for (const r of runs) await call('deleteRun', { runId: r.runId });
      clearAllProgress();
      showRun(null);
      setFound(null);
      setNotice('Deleted every run.');
    } catch (e) {
      reportError('Clearing all runs', e);
    } finally {
      void refreshRuns();
    }
  }, [call, runs, refreshRuns, reportError, showRun]);

  const resumeFound = useCallback(() => {
    if (found) void resume(found);
  }, [found, resume]);
  const dismissError = useCallback((id: number) => setErrors((l) => l.filter((e) => e.id !== id)), []);

  // ---- derived view ----
  const v = run.view;
  const busy = activity !== 'idle';
  const markers = useMemo(() => ({ crashStep: v.crashStep, restoreStep: v.restoreStep }), [v.crashStep, v.restoreStep]);
  const compared = useMemo(() => comparedCurve(v.curves, v.restoreStep), [v.curves, v.restoreStep]);
  // The difference view redraws in its own task, after the loss chart: two short tasks instead of one long one.
  const [deferredDiff, setDiffInput] = useState({ reference: v.curves.reference, other: compared });
  const diffInput = UI_THROTTLE ? deferredDiff : { reference: v.curves.reference, other: compared };
  useEffect(() => {
    const id = setTimeout(() => startTransition(() => setDiffInput({ reference: v.curves.reference, other: compared })), 0);
    return () => clearTimeout(id);
  }, [v.curves.reference, compared]);
  const totalSteps = v.config?.steps ?? parsed.config?.steps ?? 0;
  const classes = datasetClasses(v.config?.dataset ?? parsed.config?.dataset ?? DEFAULT_CONFIG.dataset);
  const haltStep = haltAt.current ?? totalSteps;
  const stepsLeft = v.phase === 'reference' ? totalSteps - v.step + haltStep
    : v.phase === 'checkpointed' ? haltStep - v.step : totalSteps - v.step;
  const idleText = found ? `Interrupted at step ${found.crash?.step ?? '?'}: press Resume to continue from step ${found.checkpoints.at(-1)?.step ?? '?'}.`
    : v.done ? `Finished: ${v.restoreStep !== null ? 'the resumed run' : 'the run'} reached step ${totalSteps}.`
      : 'Ready. Press Run experiment.';
  const canRun = !busy && parsed.config !== null && crashAtParsed.error === null && engine.status !== 'failed';

  return (
    <div className="app">
      <header className="top">
        <div>
          <h1>Resumable</h1>
          <p className="tagline">Train a small network in your browser, crash the tab, and resume bit-exactly.</p>
        </div>
        <BackendBadge status={engine.status} report={engine.report} requested={engine.requested} error={engine.error} />
      </header>
      <ErrorLog errors={errors} onDismiss={dismissError} />
      <div className="layout">
        <aside className="left">
          <ConfigForm form={form} problems={parsed.problems} onChange={changeField} disabled={busy} />
          <PitfallPicker value={pitfall} onChange={changePitfall} disabled={busy} />
          <RunsPanel runs={runs} storage={storage} currentRunId={panelRunId} onOpen={showRun}
            onDelete={deleteRun} onClearAll={clearAll} busy={busy} />
        </aside>
        <main className="right">
          <FoundRun found={found} lost={lost} onResume={resumeFound} busy={busy} autoResume={autoResume} />
          <section className="card run" aria-label="Run">
            <div className="run-actions">
              <button type="button" className="primary" onClick={runExperiment} disabled={!canRun}>Run experiment</button>
              <button type="button" onClick={stop} disabled={activity !== 'running' && activity !== 'resuming'}>Stop</button>
              <span className="run-id">{v.runId ? <>Run <code>{v.runId}</code>{v.pitfall !== 'none' ? ` · pitfall ${v.pitfall}` : ''}</> : ''}</span>
            </div>
            <ProgressBar activity={activity} phase={v.phase} step={v.step} totalSteps={v.totalSteps || totalSteps} rate={v.rate}
              stepsLeft={Math.max(0, stepsLeft)} idleText={idleText} />
            <p className="notice" role="status" aria-live="polite">{notice}</p>
          </section>
          <CrashControls onCrashTab={crashTab} crashAt={crashAt} onCrashAtChange={setCrashAt} crashAtError={crashAtParsed.error}
            onArmWrite={armWrite} writeArmed={writeArmed} running={busy} autoResume={autoResume} onAutoResume={toggleAutoResume} />
          <section className="card charts" aria-label="Loss curves">
            <LossChart curves={v.curves} markers={markers} checkpointSteps={v.checkpointSteps} totalSteps={totalSteps} classes={classes} />
            <DiffChart reference={diffInput.reference} other={diffInput.other} otherName={v.restoreStep !== null ? 'resumed' : 'checkpointed run'}
              restoreStep={v.restoreStep} totalSteps={totalSteps} />
          </section>
          <VerdictPanel outcome={outcome} />
          <div className="pair">
            <TaskView visual={v.visual} step={v.visualStep} phase={v.visualPhase} />
            <CheckpointsPanel runId={panelRunId} checkpoints={ckptList} inspected={inspection?.meta.step ?? null}
              onInspect={inspectStep} onExport={exportStep} onImport={importFile} busy={busy} />
          </div>
          <StateInspector inspection={inspection} />
        </main>
      </div>
    </div>
  );
}
