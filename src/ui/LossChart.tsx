/**
 * The loss chart: the reference curve, the checkpointed run up to its crash,
 * and the resumed run from the restore step, with markers for checkpoints,
 * the crash and the restore. Data arrive batched; recharts animations and
 * dots are off, every non-data prop keeps its identity between renders, and
 * the markers are plain SVG drawn from the chart's scales (ChartMarks), so a
 * refresh is one cheap render. The legend is plain HTML above the chart, with counts.
 */
import { memo, useMemo } from 'react';
import {
  CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis,
  type TooltipContentProps,
} from 'recharts';
import { CHART_MAX_CHECKPOINT_MARKERS, CHART_MAX_POINTS } from '../constants';
import { VerticalMarks, type VMark } from './ChartMarks';
import { lossRows, niceTicks, stepTicks, type Curves, type Markers } from './series';

/** Stroke colours of the three curves and the markers (also used by the key under the chart). */
export const COLORS = {
  reference: '#8a94a0', crashed: '#d9480f', resumed: '#1864ab', checkpoint: '#868e96', crash: '#c92a2a', restore: '#2b8a3e',
} as const;

/** Props of LossChart. */
export interface LossChartProps {
  /** The losses so far. */
  curves: Curves;
  /** Crash and restore steps. */
  markers: Markers;
  /** Steps with a committed checkpoint. */
  checkpointSteps: number[];
  /** Steps of the run (x axis end). */
  totalSteps: number;
}

function TooltipBody({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <p><strong>Step {label}</strong></p>
      {payload.map((p) => (
        <p key={String(p.dataKey)} style={{ color: p.color }}>
          {p.name}: {typeof p.value === 'number' ? p.value.toPrecision(8) : '—'}
        </p>
      ))}
    </div>
  );
}

const MARGIN = { top: 18, right: 18, bottom: 4, left: 4 };
const X_LABEL = { value: 'step', position: 'insideBottomRight', offset: -2 } as const;
const yTick = (v: number) => String(Number(v.toPrecision(3)));

const len = (c: number[]) => c.reduce((n, v) => (v === undefined ? n : n + 1), 0);

/** Reference, crashed and resumed loss curves with checkpoint, crash and restore markers. */
export const LossChart = memo(function LossChart({ curves, markers, checkpointSteps, totalSteps }: LossChartProps) {
  const rows = useMemo(() => lossRows(curves, markers, CHART_MAX_POINTS), [curves, markers]);
  const xDomain = useMemo(() => [1, Math.max(2, totalSteps)], [totalSteps]);
  const xTicks = useMemo(() => stepTicks(Math.max(2, totalSteps), 10), [totalSteps]);
  const y = useMemo(() => {
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) {
      for (const v of [r.reference, r.crashed, r.resumed]) {
        if (v !== undefined && Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
      }
    }
    return lo <= hi ? niceTicks(lo, hi, 6) : { ticks: [0, 1], domain: [0, 1] as [number, number] };
  }, [rows]);
  const has = {
    reference: rows.some((r) => r.reference !== undefined),
    crashed: rows.some((r) => r.crashed !== undefined),
    resumed: rows.some((r) => r.resumed !== undefined),
  };
  const crashedName = markers.crashStep !== null ? 'Crashed run (phase 2)' : 'Checkpointed run (phase 2)';
  const ckpts = useMemo(() => checkpointSteps.slice(-CHART_MAX_CHECKPOINT_MARKERS), [checkpointSteps]);
  const marks = useMemo<VMark[]>(() => [
    ...ckpts.map((x) => ({ x, color: COLORS.checkpoint, dash: '2 4' })),
    ...(markers.crashStep !== null ? [{ x: markers.crashStep, color: COLORS.crash, width: 2, label: `crash @ ${markers.crashStep}` }] : []),
    ...(markers.restoreStep !== null ? [{ x: markers.restoreStep, color: COLORS.restore, width: 2, label: `restore @ ${markers.restoreStep}`, labelAt: 'bottom' as const }] : []),
  ], [ckpts, markers.crashStep, markers.restoreStep]);
  const resumedCount = markers.restoreStep === null ? 0 : len(curves.resumed.slice(markers.restoreStep));
  return (
    <figure className="chart" aria-labelledby="loss-chart-title">
      <figcaption id="loss-chart-title">Training loss per step</figcaption>
      <ul className="chart-key" aria-label="Legend: series shown">
        <li data-series="reference" data-points={len(curves.reference)} hidden={!has.reference}>
          <span className="swatch" style={{ background: COLORS.reference }} />Reference: {len(curves.reference)} steps
        </li>
        <li data-series="crashed" data-points={len(curves.checkpointed)} hidden={!has.crashed}>
          <span className="swatch" style={{ background: COLORS.crashed }} />
          {crashedName}: {Math.min(len(curves.checkpointed), markers.crashStep ?? Infinity)} steps
          {markers.crashStep !== null ? `, crashed at step ${markers.crashStep}` : ''}
        </li>
        <li data-series="resumed" data-points={resumedCount} hidden={!has.resumed}>
          <span className="swatch" style={{ background: COLORS.resumed }} />
          Resumed run: {resumedCount} steps from step {markers.restoreStep}
        </li>
        {ckpts.length > 0 && (
          <li><span className="swatch dashed" style={{ borderColor: COLORS.checkpoint }} />Checkpoints: {ckpts.length > 8 ? `${ckpts.length} markers` : `steps ${ckpts.join(', ')}`}</li>
        )}
      </ul>
      <div className="chart-box" aria-hidden="true">
        {/* Mounted from the start, even empty: mounting recharts is the costly part, so it happens before a run, not during one. */}
        {rows.length === 0 && <p className="empty">Press <strong>Run experiment</strong> to draw the curves.</p>}
          <ResponsiveContainer width="100%" height={300}>
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid stroke="#e9ecef" />
              <XAxis dataKey="step" type="number" domain={xDomain} ticks={xTicks} interval={0} label={X_LABEL} />
              <YAxis width={56} domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={yTick} />
              <Tooltip content={TooltipBody} isAnimationActive={false} />
              <VerticalMarks marks={marks} />
              {has.reference && (
                <Line dataKey="reference" className="series-reference" name="Reference (phase 1)" stroke={COLORS.reference} strokeWidth={5} strokeOpacity={0.55}
                  dot={false} activeDot={false} isAnimationActive={false} connectNulls={false} />
              )}
              {has.crashed && (
                <Line dataKey="crashed" className="series-crashed" name={crashedName} stroke={COLORS.crashed} strokeWidth={2}
                  dot={false} isAnimationActive={false} connectNulls={false} />
              )}
              {has.resumed && (
                <Line dataKey="resumed" className="series-resumed" name="Resumed run (phase 3)" stroke={COLORS.resumed} strokeWidth={2}
                  dot={false} isAnimationActive={false} connectNulls={false} />
              )}
            </LineChart>
          </ResponsiveContainer>
      </div>
    </figure>
  );
});
