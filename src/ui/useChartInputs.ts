/**
 * What the two charts draw from the live run. The loss chart's markers are
 * memoized so its recharts frame re-renders only when a marker moves. The
 * difference chart redraws in its own task, after the loss chart: two short
 * tasks instead of one long one (under `?uiThrottle=off`, in the same one).
 */
import { startTransition, useEffect, useMemo, useState } from 'react';
import { comparedCurve, type Markers } from './series';
import { UI_THROTTLE } from './uiFlags';
import type { LiveRun } from './useLiveRun';

/** The charts' inputs. */
export interface ChartInputs {
  /** Crash and restore markers of the loss chart. */
  markers: Markers;
  /** What the difference chart compares: the reference and the curve compared with it. */
  diff: { reference: number[]; other: number[] };
}

/** The markers and the (deferred) difference chart input of the run on screen. */
export function useChartInputs(v: Pick<LiveRun, 'curves' | 'crashAtStep' | 'restoreStep'>): ChartInputs {
  const markers = useMemo(() => ({ crashAtStep: v.crashAtStep, restoreStep: v.restoreStep }), [v.crashAtStep, v.restoreStep]);
  const compared = useMemo(() => comparedCurve(v.curves, v.restoreStep), [v.curves, v.restoreStep]);
  const [deferred, setDeferred] = useState({ reference: v.curves.reference, other: compared });
  useEffect(() => {
    const id = setTimeout(() => startTransition(() => setDeferred({ reference: v.curves.reference, other: compared })), 0);
    return () => clearTimeout(id);
  }, [v.curves.reference, compared]);
  return { markers, diff: UI_THROTTLE ? deferred : { reference: v.curves.reference, other: compared } };
}
