/**
 * The runs stored in this browser and the origin's storage estimate, with
 * deleting one run or all of them (their checkpoints and the page's progress
 * log go too).
 */
import { useCallback, useState } from 'react';
import type { RunRecord, StorageReport } from '../protocol';
import { clearAllProgress, removeProgress } from './progressStore';
import type { EngineHandle } from './useEngine';

/** The runs list, the storage estimate, and the ways to change them. */
export interface Runs {
  /** Stored runs, newest first. */
  runs: RunRecord[];
  /** Storage use and quota, once known. */
  storage: StorageReport | null;
  /** Lists the runs and reads the storage estimate again. */
  refresh: () => Promise<void>;
  /** Deletes one run. */
  remove: (runId: string) => Promise<void>;
  /** Deletes every run. */
  clearAll: () => Promise<void>;
}

/** What the runs list needs from the rest of the page. */
export interface RunsDeps {
  /** Engine calls. */
  call: EngineHandle['call'];
  /** Whether the page is crashing (failures then go unreported). */
  isCrashing: EngineHandle['isCrashing'];
  /** Stops following a deleted run's checkpoints (null: every run was deleted). */
  unfollow: (runId: string | null) => void;
  /** Forgets a deleted run as the found one (null: every run was deleted). */
  forgetFound: (runId: string | null) => void;
  /** Adds a failure to the error log. */
  reportError: (context: string, e: unknown) => void;
  /** Replaces the status line. */
  notify: (text: string) => void;
}

/** Owns the runs list and the storage estimate. */
export function useRuns({ call, isCrashing, unfollow, forgetFound, reportError, notify }: RunsDeps): Runs {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [storage, setStorage] = useState<StorageReport | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [list, st] = await Promise.all([call('listRuns', {}), call('storage', {})]);
      setRuns(list);
      setStorage(st);
    } catch (e) {
      if (!isCrashing()) reportError('Listing runs', e);
    }
  }, [call, isCrashing, reportError]);

  const remove = useCallback(async (runId: string) => {
    try {
      await call('deleteRun', { runId });
      removeProgress(runId);
      unfollow(runId);
      forgetFound(runId);
      notify(`Deleted run ${runId}.`);
    } catch (e) {
      reportError(`Deleting run ${runId}`, e);
    } finally {
      void refresh();
    }
  }, [call, unfollow, forgetFound, notify, refresh, reportError]);

  const clearAll = useCallback(async () => {
    try {
      for (const r of runs) await call('deleteRun', { runId: r.runId });
      clearAllProgress();
      unfollow(null);
      forgetFound(null);
      notify('Deleted every run.');
    } catch (e) {
      reportError('Clearing all runs', e);
    } finally {
      void refresh();
    }
  }, [call, runs, unfollow, forgetFound, notify, refresh, reportError]);

  return { runs, storage, refresh, remove, clearAll };
}
