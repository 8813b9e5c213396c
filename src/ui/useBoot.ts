/**
 * What the page does when it loads: start the engine on the linked backend,
 * list the stored runs, and look for an interrupted run to resume (by itself
 * when auto-resume is on), or say that the last crash left nothing to
 * resume. Afterwards, a backend chosen while idle restarts the worker on it,
 * so the badge shows what will run.
 */
import { useEffect } from 'react';
import type { BackendName } from '../core/config';
import type { InterruptedRun } from '../protocol';
import type { Found, Lost } from './FoundRun';
import { lostRun } from './playground';
import { lastRunId, loadAutoResume, loadProgress, saveProgress } from './progressStore';
import type { EngineHandle } from './useEngine';

/** What the boot sequence needs from the rest of the page. */
export interface BootDeps {
  /** The training worker. */
  engine: Pick<EngineHandle, 'call' | 'ensure' | 'requested'>;
  /** The backend the page's URL asked for when it loaded. */
  startBackend: BackendName;
  /** The backend the form names now, or null while the form has problems. */
  backendChoice: BackendName | null;
  /** True while nothing runs. */
  idle: boolean;
  /** Refreshes the runs list. */
  refreshRuns: () => Promise<void>;
  /** Takes an interrupted run as the found one. */
  adopt: (got: InterruptedRun) => Found;
  /** Says that a crash left nothing to resume. */
  noteLost: (lost: Lost) => void;
  /** Resumes a found run. */
  resume: (found: Found) => Promise<void>;
  /** Adds a failure to the error log. */
  reportError: (context: string, e: unknown) => void;
  /** Whether a found run resumes by itself whatever the auto-resume choice (chaos crashed it). */
  resumesByItself: (runId: string) => boolean;
}

/** Runs the boot sequence once, then follows the backend choice while idle. */
export function useBoot({ engine, startBackend, backendChoice, idle, refreshRuns, adopt, noteLost, resume, reportError, resumesByItself }: BootDeps): void {
  const { call, ensure, requested } = engine;

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await ensure(startBackend);
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
        const f = adopt(got);
        if (loadAutoResume() || resumesByItself(got.record.runId)) void resume(f);
        return;
      }
      const id = lastRunId();
      const progress = id ? loadProgress(id) : null;
      const lost = lostRun(id, progress);
      if (lost && progress) {
        noteLost(lost);
        // Said once; the next reload does not repeat it.
        saveProgress({ ...progress, done: true });
      }
    })();
    return () => { cancelled = true; };
    // Runs once per mount: the boot sequence.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!backendChoice || !idle || requested === null || requested === backendChoice) return;
    ensure(backendChoice).catch((e: unknown) => reportError(`Starting ${backendChoice}`, e));
    // Reacts to the choice only: a run ending must not restart the worker.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backendChoice]);
}
