/**
 * How much the page may render during a run, as counts that do not depend
 * on how busy the machine is: a chart frame (recharts) re-renders a constant
 * number of times whatever the run's length, and the parts that follow the
 * run refresh at most once per throttle interval of run time. A slower
 * machine only stretches the run, which raises the allowance with it, so
 * these bounds hold on any machine; a page that refreshes per event batch or
 * re-renders recharts on every refresh exceeds them.
 */
import { CHECKPOINT_LIST_REFRESH_MS, UI_BATCH_MS } from '../core/constants';
import type { RenderCounts } from './renderProbe';

/** Re-renders of a chart frame allowed in one run: its axes are fixed by the run's length and the dataset, so it draws at most a few times. */
export const FRAME_COMMITS_PER_RUN_MAX = 4;
/** Commits beyond the throttled rate that a run may add to a live part: the run's start and end, phase changes, the verdict. */
export const LIVE_COMMITS_SLACK = 10;
/**
 * Commits beyond the throttled rate that a run may add to a checkpoint panel:
 * a refresh at the first checkpoint (two commits: the list, then the
 * inspection), the run's start and first (empty) listing, the busy flag
 * going on and off, and the final refresh.
 */
export const CHECKPOINT_COMMITS_SLACK = 12;

/** Parts of the page that render once per live-run refresh. */
export const LIVE_PARTS = ['loss-layer', 'diff-layer', 'progress'] as const;
/** Parts of the page that follow the committed checkpoints. */
export const CHECKPOINT_PARTS = ['checkpoints', 'inspector'] as const;
/** The recharts frames. */
export const FRAME_PARTS = ['loss-frame', 'diff-frame'] as const;

/** One part over its budget. */
export interface BudgetProblem {
  /** Part of the page ('loss-frame', 'publishes', …). */
  part: string;
  /** Counted. */
  count: number;
  /** Allowed. */
  allowed: number;
}

/** The allowance of every counted part for a run that lasted `runMs` of wall time. */
export function renderBudget(runMs: number): Record<string, number> {
  const live = Math.floor(runMs / UI_BATCH_MS) + LIVE_COMMITS_SLACK;
  // A checkpoint refresh lists the checkpoints and then inspects the newest: up to two commits each.
  const checkpoints = 2 * Math.floor(runMs / CHECKPOINT_LIST_REFRESH_MS) + CHECKPOINT_COMMITS_SLACK;
  return {
    ...Object.fromEntries(FRAME_PARTS.map((p) => [p, FRAME_COMMITS_PER_RUN_MAX])),
    ...Object.fromEntries(LIVE_PARTS.map((p) => [p, live])),
    ...Object.fromEntries(CHECKPOINT_PARTS.map((p) => [p, checkpoints])),
    publishes: live,
  };
}

/** Every part that rendered more than its budget allows in a run of `runMs` (empty when the page kept to it). */
export function renderBudgetProblems(counts: RenderCounts, runMs: number): BudgetProblem[] {
  const budget = renderBudget(runMs);
  const counted: Record<string, number> = { ...counts.commits, publishes: counts.publishes };
  return Object.entries(budget).flatMap(([part, allowed]) => {
    const count = counted[part] ?? 0;
    return count > allowed ? [{ part, count, allowed }] : [];
  });
}
