/**
 * What the page found after a reload: the interrupted run it can resume (its
 * record, checkpoints and crash point, also put on screen as the live run),
 * or a crash that left nothing to resume.
 */
import { useCallback, useState } from 'react';
import type { RunConfig } from '../core/config';
import type { InterruptedRun } from '../protocol';
import type { Found, Lost } from './FoundRun';
import { interruptedView } from './playground';
import { loadProgress } from './progressStore';
import type { LiveRunHandle } from './useLiveRun';

/** The found run or the lost one, and the ways to change them. */
export interface FoundRunState {
  /** The interrupted run to resume, or null. */
  found: Found | null;
  /** A crash with nothing to resume, or null. */
  lost: Lost | null;
  /** Takes an interrupted run: its config fills the form, its curves and crash point the live run, and the panels follow it. */
  adopt: (got: InterruptedRun) => Found;
  /** Says that a crash left nothing to resume. */
  noteLost: (lost: Lost) => void;
  /** Forgets a deleted run if it is the found one (null: every run was deleted). */
  forget: (runId: string | null) => void;
  /** Forgets both, as a new run starts or a resume comes back. */
  clear: () => void;
}

/** What adopting a found run changes elsewhere on the page. */
export interface FoundRunDeps {
  /** Replaces the live run. */
  resetRun: LiveRunHandle['reset'];
  /** Fills the form with a config. */
  adoptConfig: (config: RunConfig) => void;
  /** Follows a run's checkpoints. */
  show: (runId: string | null) => void;
}

/** Owns the found run and the lost one. */
export function useFoundRun({ resetRun, adoptConfig, show }: FoundRunDeps): FoundRunState {
  const [found, setFound] = useState<Found | null>(null);
  const [lost, setLost] = useState<Lost | null>(null);

  const adopt = useCallback((got: InterruptedRun): Found => {
    const view = interruptedView(got, loadProgress(got.record.runId));
    adoptConfig(got.record.config);
    resetRun(view.live);
    setFound(view.found);
    show(got.record.runId);
    return view.found;
  }, [adoptConfig, resetRun, show]);

  const forget = useCallback((runId: string | null) => {
    setFound((f) => (runId === null || f?.record.runId === runId ? null : f));
  }, []);

  const clear = useCallback(() => {
    setFound(null);
    setLost(null);
  }, []);

  return { found, lost, adopt, noteLost: setLost, forget, clear };
}
