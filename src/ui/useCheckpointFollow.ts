/**
 * The run whose checkpoints the page shows: its committed checkpoints and
 * the inspection of one (the newest, unless the person picked another),
 * fetched one request at a time. During a fast run checkpoints commit many
 * times a second, so the panels follow at most every
 * CHECKPOINT_LIST_REFRESH_MS, as transitions behind the charts and the
 * progress bar. Under `?uiThrottle=off` every checkpoint refreshes both
 * panels and each reply commits at once: the render-budget spec's negative
 * control.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { CHECKPOINT_LIST_REFRESH_MS } from '../core/constants';
import type { CheckpointInfo, CheckpointInspection } from '../protocol';
import { waitMs } from './playground';
import type { EngineHandle } from './useEngine';
import { UI_THROTTLE } from './uiFlags';

/** The followed run's checkpoints and inspection, and the ways to change what is followed. */
export interface CheckpointFollow {
  /** The run followed, or null. */
  runId: string | null;
  /** Its committed checkpoints, oldest first. */
  checkpoints: CheckpointInfo[];
  /** The checkpoint shown in the state inspector, or null. */
  inspection: CheckpointInspection | null;
  /** The run followed now (read it in handlers, not in render). */
  followed: () => string | null;
  /** Follows a run (null: none), from its newest checkpoint. */
  show: (runId: string | null) => void;
  /** Stops following a deleted run (null: every run was deleted). */
  unfollow: (runId: string | null) => void;
  /** Lists and inspects again now. */
  refresh: () => Promise<void>;
  /** Tells the panels that a checkpoint of `runId` committed; they refresh soon when it is the followed run. */
  onCheckpoint: (runId: string) => void;
  /** Shows one checkpoint in the inspector; the newest keeps following new commits, an older one stays. */
  inspect: (step: number) => Promise<void>;
}

/** What the follower needs from the rest of the page. */
export interface CheckpointFollowDeps {
  /** Engine calls. */
  call: EngineHandle['call'];
  /** Whether the page is crashing (failures then go unreported). */
  isCrashing: EngineHandle['isCrashing'];
  /** Adds a failure to the error log. */
  reportError: (context: string, e: unknown) => void;
}

/** Owns the checkpoint list and the inspection of the followed run. */
export function useCheckpointFollow({ call, isCrashing, reportError }: CheckpointFollowDeps): CheckpointFollow {
  const [runId, setRunId] = useState<string | null>(null);
  const [checkpoints, setCheckpoints] = useState<CheckpointInfo[]>([]);
  const [inspection, setInspection] = useState<CheckpointInspection | null>(null);
  const follow = useRef({ runId: null as string | null, latest: true, busy: false, again: false, timer: null as ReturnType<typeof setTimeout> | null, lastMs: 0 });

  const refresh = useCallback(async () => {
    const f = follow.current;
    if (f.busy) { f.again = true; return; }
    f.busy = true;
    try {
      do {
        f.again = false;
        const id = f.runId;
        if (!id) { setCheckpoints([]); setInspection(null); break; }
        const list = await call('listCheckpoints', { runId: id });
        if (f.runId !== id) continue;
        // Transitions: the panels may render in slices, behind the charts and the progress bar.
        startTransition(() => setCheckpoints(list));
        if (f.latest && list.length > 0) {
          const got = await call('inspect', { runId: id, step: list[list.length - 1].step });
          if (f.runId === id && f.latest) startTransition(() => setInspection(got));
        } else if (list.length === 0) {
          startTransition(() => setInspection(null));
        }
      } while (f.again);
    } catch (e) {
      if (!isCrashing()) reportError('Listing checkpoints', e);
    } finally {
      f.busy = false;
    }
  }, [call, isCrashing, reportError]);

  const onCheckpoint = useCallback((committedRunId: string) => {
    const f = follow.current;
    if (committedRunId !== f.runId) return;
    if (!UI_THROTTLE) {
      // Throttles off: every checkpoint refreshes both panels, each reply committed at once.
      void call('listCheckpoints', { runId: committedRunId }).then(async (list) => {
        flushSync(() => setCheckpoints(list));
        if (list.length === 0) return;
        const got = await call('inspect', { runId: committedRunId, step: list[list.length - 1].step });
        flushSync(() => setInspection(got));
      }).catch(() => undefined);
      return;
    }
    if (f.timer) return;
    f.timer = setTimeout(() => {
      f.timer = null;
      f.lastMs = performance.now();
      void refresh();
    }, waitMs(performance.now(), f.lastMs, CHECKPOINT_LIST_REFRESH_MS));
  }, [call, refresh]);

  useEffect(() => {
    const f = follow.current;
    return () => { if (f.timer) clearTimeout(f.timer); };
  }, []);

  const show = useCallback((id: string | null) => {
    follow.current.runId = id;
    follow.current.latest = true;
    setRunId(id);
    setCheckpoints([]);
    setInspection(null);
    if (id) void refresh();
  }, [refresh]);

  const unfollow = useCallback((id: string | null) => {
    if (id === null || follow.current.runId === id) show(null);
  }, [show]);

  const inspect = useCallback(async (step: number) => {
    const id = follow.current.runId;
    if (!id) return;
    follow.current.latest = checkpoints.at(-1)?.step === step;
    try {
      setInspection(await call('inspect', { runId: id, step }));
    } catch (e) {
      reportError(`Inspecting the checkpoint at step ${step}`, e);
    }
  }, [checkpoints, call, reportError]);

  const followed = useCallback(() => follow.current.runId, []);

  return { runId, checkpoints, inspection, followed, show, unfollow, refresh, onCheckpoint, inspect };
}
