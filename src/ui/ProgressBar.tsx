/**
 * Progress of the run a person watches: which phase (phase 2, or phase 3
 * after a restore, with phase 1, the reference, beside it), the step, steps
 * per second and the time left, as a labelled progressbar; and what happens
 * before the first step (the engine starting, kernels compiling, the
 * reference catching up after a restore).
 */
import { memo } from 'react';
import type { Phase } from '../protocol';
import { formatDuration } from './series';
import { useCommitCount } from './renderProbe';

/** What the playground is doing. */
export type Activity = 'idle' | 'starting' | 'running' | 'resuming' | 'stopping' | 'crashing';

const PHASE_TEXT: Record<Phase, string> = {
  reference: 'Phase 1 · reference run (no checkpoints)',
  checkpointed: 'Phase 2 · the run with checkpoints, phase 1 (the reference) beside it',
  resumed: 'Phase 3 · resumed from a checkpoint, the reference beside it',
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
  /** The reference's last step (it runs beside the watched run). */
  referenceStep: number;
  /** Whether the run waits for Play or Step. */
  paused: boolean;
  /** What happens before the first step, when the page knows (kernels compiling), or null. */
  preparing: string | null;
}

/** A progressbar with phase, step, steps/s and ETA. */
export const ProgressBar = memo(function ProgressBar({ activity, phase, step, totalSteps, rate, stepsLeft, idleText, referenceStep, paused, preparing }: ProgressBarProps) {
  useCommitCount('progress');
  const busy = activity !== 'idle';
  const max = Math.max(1, totalSteps);
  const pct = Math.min(100, (step / max) * 100);
  const eta = rate && rate > 0 ? formatDuration(stepsLeft / rate) : '—';
  const title = !busy ? idleText
    : activity === 'starting' ? 'Starting the engine…'
      : activity === 'crashing' ? 'Crashing…'
        : phase ? PHASE_TEXT[phase]
          : activity === 'resuming' && referenceStep > 0 ? `Recomputing the reference up to the restored checkpoint (step ${referenceStep})…`
            : preparing ?? (activity === 'resuming' ? 'Restoring the checkpoint into fresh objects…' : 'Building the model and data…');
  const detail = busy && phase
    ? `step ${step} / ${totalSteps} · reference at ${referenceStep} · ${paused ? 'paused' : `${rate ? rate.toFixed(1) : '—'} steps/s · ETA ${eta}`}` : '';
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
