/**
 * The playground: configure a run, train it in the worker (the run with
 * checkpoints, the reference beside it), crash the tab at any moment, find
 * the interrupted run after the reload, resume it into fresh objects, and
 * compare it with the reference bit for bit. Training never runs on this
 * thread, and the state lives in hooks: this component wires them to the
 * panels and lays them out.
 */
import { useCallback, useRef } from 'react';
import type { PitfallEffect } from '../core/pitfalls';
import type { SkippedCheckpoint } from '../protocol';
import './app.css';
import { DATASET_CLASSES, DEFAULT_CONFIG } from '../core/config';
import { BackendBadge } from './BackendBadge';
import { CheckpointsPanel } from './CheckpointsPanel';
import { ConfigForm } from './ConfigForm';
import { CrashControls } from './CrashControls';
import { DiffChart } from './DiffChart';
import { ErrorLog } from './ErrorLog';
import { FoundRun, type Lost } from './FoundRun';
import { LossChart } from './LossChart';
import { PaceControls } from './PaceControls';
import { PitfallPicker } from './PitfallPicker';
import { idleText, stepsLeft } from './playground';
import { ProgressBar } from './ProgressBar';
import { RunsPanel } from './RunsPanel';
import { StateInspector } from './StateInspector';
import { TaskView } from './TaskView';
import { chaosText } from './chaos';
import { useBoot } from './useBoot';
import { useChaos } from './useChaos';
import { useChartInputs } from './useChartInputs';
import { useCheckpointFiles } from './useCheckpointFiles';
import { useCheckpointFollow } from './useCheckpointFollow';
import { useEngine } from './useEngine';
import { useFoundRun } from './useFoundRun';
import { useLiveRun } from './useLiveRun';
import { useMessages } from './useMessages';
import { usePace } from './usePace';
import { useRunController } from './useRunController';
import { useRuns } from './useRuns';
import { useUrlForm } from './useUrlForm';
import { useWarmUp } from './useWarmUp';
import { VerdictPanel } from './VerdictPanel';

const NO_CORRUPT: SkippedCheckpoint[] = [];

/** The playground application. */
export function App() {
  const { errors, notice, reportError, dismissError, notify } = useMessages();
  const { form, parsed, startBackend, changeField, changePitfall, adoptConfig } = useUrlForm();
  const engine = useEngine();
  const { call, isCrashing } = engine;
  const run = useLiveRun();
  const follow = useCheckpointFollow({ call, isCrashing, reportError });
  const found = useFoundRun({ resetRun: run.reset, adoptConfig, show: follow.show });
  const runs = useRuns({ call, isCrashing, unfollow: follow.unfollow, forgetFound: found.forget, reportError, notify });
  const files = useCheckpointFiles({
    call, followed: follow.followed, refreshCheckpoints: follow.refresh, refreshRuns: runs.refresh, reportError, notify,
  });
  const pace = usePace({ call, reportError });
  const ctl = useRunController({ engine, run, config: parsed.config, follow, found, refreshRuns: runs.refresh, reportError, notify, pace });
  const { activity, resume } = ctl;
  const chaos = useChaos({ engine, run, ctl, activity });
  useBoot({
    engine, startBackend, backendChoice: parsed.config?.backend ?? null, idle: activity === 'idle',
    refreshRuns: runs.refresh, adopt: found.adopt, noteLost: found.noteLost, resume, reportError, resumesByItself: chaos.wantsResume,
  });

  const warm = useWarmUp({ engine, config: parsed.config, idle: activity === 'idle' });

  const v = run.view;
  const charts = useChartInputs(v);
  const foundRun = found.found;
  const resumeFound = useCallback(() => {
    if (foundRun) void resume(foundRun);
  }, [foundRun, resume]);
  const { runExperiment } = ctl;
  const restart = useCallback((lost: Lost) => {
    adoptConfig(lost.config);
    void runExperiment(lost.config);
  }, [adoptConfig, runExperiment]);
  const { setCrashAt } = ctl;
  const applyNearest = useCallback((nearest: NonNullable<PitfallEffect['nearest']>) => {
    if ('change' in nearest && nearest.change.optimizer) changeField('optimizer', nearest.change.optimizer);
    else if ('crashAfterStep' in nearest) setCrashAt(String(nearest.crashAfterStep + 5));
  }, [changeField, setCrashAt]);
  const followedRecord = runs.runs.find((r) => r.runId === follow.runId) ?? null;
  // Read when clicked, so the checkpoints panel keeps one callback while checkpoints stream in.
  const restoreInputs = useRef({ followedRecord, foundRun, checkpoints: follow.checkpoints });
  restoreInputs.current = { followedRecord, foundRun, checkpoints: follow.checkpoints };
  const restoreFrom = useCallback((step: number) => {
    const { followedRecord: record, foundRun: f, checkpoints } = restoreInputs.current;
    if (!record) return;
    void resume({ record, checkpoints, crash: f?.record.runId === record.runId ? f.crash : null }, step);
  }, [resume]);

  const busy = activity !== 'idle';
  const totalSteps = v.config?.steps ?? parsed.config?.steps ?? 0;
  const classes = DATASET_CLASSES[v.config?.dataset ?? parsed.config?.dataset ?? DEFAULT_CONFIG.dataset];
  const left = stepsLeft({ phase: v.phase, step: v.step, totalSteps, crashAtStep: ctl.crashAtStep });
  const canRun = !busy && parsed.config !== null && ctl.crashAtParsed.error === null && engine.status !== 'failed';
  const preparing = warm.state === 'warming' ? `Preparing the ${warm.backend} kernels for this model (one throwaway step)…` : null;
  const idleLine = foundRun ? idleText(foundRun, v, totalSteps)
    : preparing ?? (warm.state === 'ready' && !v.done && !v.runId ? `Ready: ${warm.backend} kernels compiled in ${(warm.ms / 1000).toFixed(1)} s. Press Run experiment.` : idleText(null, v, totalSteps));

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
          <PitfallPicker value={form.pitfall} optimizer={form.optimizer} onChange={changePitfall} onNearest={applyNearest} disabled={busy} />
          <RunsPanel runs={runs.runs} storage={runs.storage} currentRunId={follow.runId} onOpen={follow.show}
            onDelete={runs.remove} onClearAll={runs.clearAll} busy={busy} />
        </aside>
        <main className="right">
          <FoundRun found={foundRun} lost={found.lost} onResume={resumeFound} onRestart={restart} busy={busy} autoResume={ctl.autoResume} />
          <section className="card run" aria-label="Run">
            <div className="run-actions">
              <button type="button" className="primary" onClick={() => void runExperiment()} disabled={!canRun}>Run experiment</button>
              <button type="button" onClick={ctl.stop} disabled={activity !== 'running' && activity !== 'resuming'}>Stop</button>
              <span className="run-id">
                {v.runId ? <>Run <code>{v.runId}</code>{v.config && v.config.pitfall !== 'none' ? ` · pitfall ${v.config.pitfall}` : ''}</> : ''}
              </span>
            </div>
            <PaceControls speed={pace.speed} paused={pace.paused} running={busy} onSpeed={pace.setSpeed} onPaused={pace.setPaused} onStep={pace.stepOnce} />
            <ProgressBar activity={activity} phase={v.phase} step={v.step} totalSteps={v.totalSteps || totalSteps} rate={v.rate}
              stepsLeft={left} idleText={idleLine} referenceStep={v.referenceStep} paused={pace.paused} preparing={preparing} />
            <p className="notice" role="status" aria-live="polite">{notice}</p>
          </section>
          <CrashControls onCrashTab={ctl.crashTab} crashAt={ctl.crashAt} onCrashAtChange={ctl.setCrashAt} crashAtError={ctl.crashAtParsed.error}
            onArmWrite={ctl.armWrite} writeArmed={ctl.writeArmed} running={busy} autoResume={ctl.autoResume} onAutoResume={ctl.toggleAutoResume}
            chaosOn={chaos.log !== null} onChaos={chaos.setOn} chaosText={chaosText(chaos.log)} />
          <section className="card charts" aria-label="Loss curves">
            <LossChart curves={v.curves} markers={charts.markers} checkpointSteps={v.checkpointSteps} totalSteps={totalSteps} classes={classes} />
            <DiffChart reference={charts.diff.reference} other={charts.diff.other} otherName={v.restoreStep !== null ? 'resumed' : 'checkpointed run'}
              restoreStep={v.restoreStep} totalSteps={totalSteps} />
          </section>
          <VerdictPanel outcome={ctl.outcome} />
          <div className="pair">
            <TaskView visual={v.visual} step={v.visualStep} phase={v.visualPhase} />
            <CheckpointsPanel runId={follow.runId} checkpoints={follow.checkpoints} inspected={follow.inspection?.meta.step ?? null}
              onInspect={follow.inspect} onExport={files.exportStep} onImport={files.importFile} busy={busy}
              corruptSteps={followedRecord?.corruptSteps ?? NO_CORRUPT} onRestore={followedRecord ? restoreFrom : null} />
          </div>
          <StateInspector inspection={follow.inspection} />
        </main>
      </div>
    </div>
  );
}
