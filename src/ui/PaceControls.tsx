/**
 * The pace of a run, with TensorFlow Playground's habits: play or pause, one
 * step at a time, and a speed. Changing the pace never changes a bit of the
 * result, only when each step runs.
 */
import { memo } from 'react';
import { speedKey, speedLabel, SPEEDS } from './pace';

/** Props of PaceControls. */
export interface PaceControlsProps {
  /** Steps per second, or null for as fast as possible. */
  speed: number | null;
  /** Whether runs wait. */
  paused: boolean;
  /** Whether a run or a resume is in progress (Step needs one). */
  running: boolean;
  /** Picks a speed. */
  onSpeed: (speed: number | null) => void;
  /** Pauses or plays. */
  onPaused: (paused: boolean) => void;
  /** Runs one step while paused. */
  onStep: () => void;
}

/** Play/pause, one step, and the speed. */
export const PaceControls = memo(function PaceControls({ speed, paused, running, onSpeed, onPaused, onStep }: PaceControlsProps) {
  return (
    <div className="pace" role="group" aria-label="Pace">
      <button type="button" onClick={() => onPaused(!paused)} aria-describedby="pace-hint">
        <span aria-hidden="true">{paused ? '▶ ' : '❚❚ '}</span>{paused ? 'Play' : 'Pause'}
      </button>
      <button type="button" onClick={onStep} disabled={!paused || !running}>Step</button>
      <label htmlFor="pace-speed">Speed</label>
      <select id="pace-speed" value={speedKey(speed)} onChange={(e) => onSpeed(SPEEDS.find((s) => speedKey(s) === e.target.value) ?? null)}>
        {SPEEDS.map((s) => <option key={speedKey(s)} value={speedKey(s)}>{speedLabel(s)}</option>)}
      </select>
      <span className="hint" id="pace-hint">{paused ? (running ? 'Paused: Step runs one step.' : 'Paused: a run waits for Play or Step.') : 'The pace never changes a bit of the result.'}</span>
    </div>
  );
});
