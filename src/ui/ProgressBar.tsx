/**
 * Progress of the phase that runs: which phase, the step, steps per second
 * and the time left for the whole experiment, as a labelled progressbar.
 */
import { memo } from 'react';
import type { Phase } from '../protocol';
import { formatDuration } from './series';
import { useCommitCount } from './renderProbe';

/** What the playground is doing. */
export type Activity = 'idle' | 'starting' | 'running' | 'resuming' | 'stopping' | 'crashing';

const PHASE_TEXT: Record<Phase, string> = {
  reference: 'Phase 1 · reference run (no checkpoints)',
  checkpointed: 'Phase 2 · same run with checkpoints',
  resumed: 'Phase 3 · resumed from a checkpoint',
};

/** Props of ProgressBar. */
export interface ProgressBarProps {
  /** What the playground is doing. */
  activity: Activity;
  /** Phase of the last step seen. */
  phase: Phase | null;
  /** Last step seen. */
  step: number;
  /** Last step of the phase. */
  totalSteps: number;
  /** Measured steps per second, or null. */
  rate: number | null;
  /** Steps left in the whole experiment (this phase and the next), for the ETA. */
  stepsLeft: number;
  /** A line for when nothing runs. */
  idleText: string;
}

/** A progressbar with phase, step, steps/s and ETA. */
export const ProgressBar = memo(function ProgressBar({ activity, phase, step, totalSteps, rate, stepsLeft, idleText }: ProgressBarProps) {
  useCommitCount('progress');
  const busy = activity !== 'idle';
  const max = Math.max(1, totalSteps);
  const pct = Math.min(100, (step / max) * 100);
  const eta = rate && rate > 0 ? formatDuration(stepsLeft / rate) : '—';
  const title = !busy ? idleText
    : activity === 'starting' ? 'Starting the engine…'
      : activity === 'crashing' ? 'Crashing…'
        : phase ? PHASE_TEXT[phase] : activity === 'resuming' ? 'Restoring the checkpoint into fresh objects…' : 'Building the model and data…';
  const detail = busy && phase ? `step ${step} / ${totalSteps} · ${rate ? rate.toFixed(1) : '—'} steps/s · ETA ${eta}` : '';
  return (
    <div className="progress">
      <div className="progress-text">
        <span className="progress-phase" data-phase={phase ?? 'none'}>{title}</span>
        <span className="progress-detail" data-testid="progress-detail">{detail}</span>
      </div>
      <div
        className={`bar${busy ? ' busy' : ''}`}
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={step}
        aria-valuetext={busy && phase ? `${title}: ${detail}` : title}
      >
        <div className={`fill phase-${phase ?? 'none'}`} style={{ transform: `scaleX(${pct / 100})` }} />
      </div>
    </div>
  );
});
