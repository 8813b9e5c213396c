/**
 * The pace of runs, as a person sets it (speed, pause, one step at a time),
 * mirrored into the URL and sent to the engine at once. A worker starts
 * unpaced, so the run controller sends `current()` to every worker it starts
 * a run in.
 */
import { useCallback, useRef, useState } from 'react';
import type { Pace } from '../protocol';
import { paceOf, searchWithSpeed, speedFromSearch } from './pace';
import type { EngineHandle } from './useEngine';

/** The pace and the ways to change it. */
export interface PaceHandle {
  /** Steps per second, or null for as fast as possible. */
  speed: number | null;
  /** Whether the run waits. */
  paused: boolean;
  /** The pace as the engine takes it (read it in handlers). */
  current: () => Pace;
  /** Picks a speed. */
  setSpeed: (speed: number | null) => void;
  /** Pauses or plays. */
  setPaused: (paused: boolean) => void;
  /** While paused, runs one more step. */
  stepOnce: () => void;
}

/** Owns the pace. */
export function usePace({ call, reportError }: { call: EngineHandle['call']; reportError: (context: string, e: unknown) => void }): PaceHandle {
  const [speed, setSpeedState] = useState<number | null>(() => speedFromSearch(location.search));
  const [paused, setPausedState] = useState(false);
  const latest = useRef<Pace>(paceOf(speed, paused));

  const send = useCallback((pace: Pace) => {
    latest.current = pace;
    call('setPace', pace).catch((e: unknown) => reportError('Setting the pace', e));
  }, [call, reportError]);

  const setSpeed = useCallback((s: number | null) => {
    setSpeedState(s);
    history.replaceState(history.state, '', `${location.pathname}${searchWithSpeed(location.search, s)}${location.hash}`);
    send(paceOf(s, latest.current.paused));
  }, [send]);

  const setPaused = useCallback((p: boolean) => {
    setPausedState(p);
    send(paceOf(latest.current.stepsPerSecond, p));
  }, [send]);

  const stepOnce = useCallback(() => {
    call('stepOnce', {}).catch((e: unknown) => reportError('Running one step', e));
  }, [call, reportError]);

  const current = useCallback(() => latest.current, []);
  return { speed, paused, current, setSpeed, setPaused, stepOnce };
}
