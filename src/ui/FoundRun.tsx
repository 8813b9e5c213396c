/**
 * What the page found after a reload: the interrupted run, its last
 * committed checkpoint, where it crashed and how many steps were lost, and
 * the Resume button. Also says so when a crash left nothing to resume.
 */
import { memo } from 'react';
import type { RunConfig } from '../core/config';
import type { CheckpointInfo, RunRecord } from '../protocol';
import { crashStepOf, stepsLost } from './playground';
import type { CrashMark } from './progressStore';

/** An interrupted run as the page understands it. */
export interface Found {
  /** The run's record. */
  record: RunRecord;
  /** Its committed checkpoints, oldest first. */
  checkpoints: CheckpointInfo[];
  /** How it was cut short, from the page's progress log (null when the log did not survive). */
  crash: CrashMark | null;
}

/** A crash that left no checkpoint to resume from. */
export interface Lost {
  /** The run. */
  runId: string;
  /** How it was cut short. */
  crash: CrashMark;
  /** Its configuration, to run it again. */
  config: RunConfig;
}

/** Props of FoundRun. */
export interface FoundRunProps {
  /** The interrupted run, or null. */
  found: Found | null;
  /** A crash with nothing to resume, or null. */
  lost: Lost | null;
  /** Starts the resume. */
  onResume: () => void;
  /** Runs a lost run's configuration again, under a new run id. */
  onRestart: (lost: Lost) => void;
  /** True while something runs. */
  busy: boolean;
  /** Whether the resume will start by itself. */
  autoResume: boolean;
}

const HOW: Record<CrashMark['kind'], string> = {
  tab: 'the Crash tab button', step: 'the crash-at-step setting', write: 'a crash during a checkpoint write', stop: 'the Stop button',
  'chaos-tab': 'chaos (a tab reload)', 'chaos-worker': 'chaos (a killed worker)',
  unknown: 'the page ending unexpectedly (closed, reloaded or crashed)',
};

/** The found-run panel with the Resume button. */
export const FoundRun = memo(function FoundRun({ found, lost, onResume, onRestart, busy, autoResume }: FoundRunProps) {
  if (!found && !lost) return null;
  if (!found && lost) {
    return (
      <section className="card found lost" aria-labelledby="found-title" role="status">
        <h2 id="found-title">No checkpoint yet: nothing to resume</h2>
        <p data-testid="lost-run">
          Run <code>{lost.runId}</code> was cut short by {HOW[lost.crash.kind]}{' '}
          {lost.crash.phase === null || lost.crash.step === 0 ? 'before its first step'
            : `at step ${lost.crash.step}, before its first checkpoint${lost.config.saveEverySteps > 0 ? ` (due at step ${lost.config.saveEverySteps})` : ' (this run saved none)'} was committed`}
          , so there is no state to restore.
        </p>
        <div className="found-actions">
          <button type="button" className="primary" onClick={() => onRestart(lost)} disabled={busy} autoFocus>Restart the run</button>
          <span className="hint">Runs the same configuration again from step 0. Crash it after step {lost.config.saveEverySteps || '—'} to have a checkpoint to resume from.</span>
        </div>
      </section>
    );
  }
  const f = found!;
  const c = f.record.config;
  const last = f.checkpoints.at(-1);
  const lostSteps = stepsLost(f);
  const crashAt = crashStepOf(f);
  return (
    <section className="card found" aria-labelledby="found-title" role="status">
      <h2 id="found-title">Interrupted run found</h2>
      <p data-testid="found-run">
        Run <code>{f.record.runId}</code> ({c.dataset} · {c.model} {c.hidden.join('×')} · {c.optimizer} · {c.steps} steps on {f.record.backend ?? c.backend}
        {f.record.config.pitfall !== 'none' ? ` · pitfall ${f.record.config.pitfall}` : ''}) did not finish.
      </p>
      <p data-testid="found-checkpoint">
        Last committed checkpoint: step {last?.step ?? '—'}
        {f.checkpoints.length > 1 ? ` (kept: ${f.checkpoints.map((k) => k.step).join(', ')})` : ''}.
      </p>
      {f.crash?.kind === 'write' && f.crash.writeStep !== undefined && (
        <p data-testid="found-write">
          The tab crashed while the checkpoint of step {f.crash.writeStep} was being written. That transaction never committed, so
          IndexedDB kept none of it: the resume starts from the previous checkpoint, step {last?.step ?? '—'}.
        </p>
      )}
      <p data-testid="found-lost">
        {crashAt === null
          ? 'The page’s progress log did not survive, so the crash step is unknown; training continues from the checkpoint.'
          : `It was cut short at step ${crashAt}${f.crash ? ` by ${HOW[f.crash.kind]}` : ''}: ${lostSteps} step${lostSteps === 1 ? '' : 's'} after the checkpoint ${lostSteps === 1 ? 'was' : 'were'} lost and will be redone.`}
      </p>
      <div className="found-actions">
        {/* Focus lands here after the reload, so a keyboard user can resume at once. */}
        <button type="button" className="primary" onClick={onResume} disabled={busy} autoFocus>Resume</button>
        <span className="hint">
          {autoResume && busy ? 'Resuming automatically…' : `Restores step ${last?.step ?? '—'} into fresh objects in a fresh worker, trains to step ${c.steps}, and compares with the reference.`}
        </span>
      </div>
    </section>
  );
});
