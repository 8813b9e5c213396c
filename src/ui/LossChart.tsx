/**
 * The loss chart: the reference curve, the checkpointed run up to its crash,
 * and the resumed run from the restore step, with markers for checkpoints,
 * the crash and the restore, and a hover readout of the step and the losses.
 * recharts draws the frame (axes, grid) from props that change rarely: the
 * x axis is fixed by the run's length and the y axis starts at 0, so it only
 * moves when a loss exceeds its top. The curves, markers and readout are a
 * LiveLayer fed through context, so a live refresh re-renders that layer
 * alone (see LiveLayer for why). The legend is plain HTML above the chart, with counts.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { CHART_MAX_CHECKPOINT_MARKERS, CHART_MAX_POINTS, LOSS_AXIS_START_OVER_UNIFORM } from '../core/constants';
import type { VMark } from './ChartMarks';
import { LayerContext, LiveLayer, type LayerData, type ReadoutLine } from './LiveLayer';
import { RenderProbe } from './renderProbe';
import { lossAxis, lossRows, stepTicks, type Curves, type Markers } from './series';
import { UI_THROTTLE } from './uiFlags';
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
  /** Classes of the dataset: the y axis starts out covering the loss of a uniform guess over them (LOSS_AXIS_START_OVER_UNIFORM). */
  classes: number;
}

const MARGIN = { top: 18, right: 18, bottom: 4, left: 4 };
const X_LABEL = { value: 'step', position: 'insideBottomRight', offset: -2 } as const;
const yTick = (v: number) => String(Number(v.toPrecision(3)));
// recharts gets no rows: LiveLayer draws the data, the axes have explicit domains.
const NO_ROWS: never[] = [];

const len = (c: number[]) => c.reduce((n, v) => (v === undefined ? n : n + 1), 0);

/** Reference, crashed and resumed loss curves with checkpoint, crash and restore markers. */
export const LossChart = memo(function LossChart({ curves, markers, checkpointSteps, totalSteps, classes }: LossChartProps) {
  const rows = useMemo(() => lossRows(curves, markers, CHART_MAX_POINTS), [curves, markers]);
  const xDomain = useMemo(() => [1, Math.max(2, totalSteps)], [totalSteps]);
  const xTicks = useMemo(() => stepTicks(Math.max(2, totalSteps), 10), [totalSteps]);
  // Keyed by value: a refresh that leaves the axis as it was must not re-render recharts.
  const yKey = lossAxis(rows, classes > 1 ? LOSS_AXIS_START_OVER_UNIFORM * Math.log(classes) : 0).ticks.join(',');
  const y = useMemo(() => {
    const ticks = yKey.split(',').map(Number);
    return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] as [number, number] };
  }, [yKey]);
  const has = {
    reference: rows.some((r) => r.reference !== undefined),
    crashed: rows.some((r) => r.crashed !== undefined),
    resumed: rows.some((r) => r.resumed !== undefined),
  };
  const crashedName = markers.crashAtStep !== null ? 'Crashed run (phase 2)' : 'Checkpointed run (phase 2)';
  const ckpts = useMemo(() => checkpointSteps.slice(-CHART_MAX_CHECKPOINT_MARKERS), [checkpointSteps]);
  const marks = useMemo<VMark[]>(() => [
    ...ckpts.map((x) => ({ x, color: COLORS.checkpoint, dash: '2 4' })),
    ...(markers.crashAtStep !== null ? [{ x: markers.crashAtStep, color: COLORS.crash, width: 2, label: `crash @ ${markers.crashAtStep}` }] : []),
    ...(markers.restoreStep !== null ? [{ x: markers.restoreStep, color: COLORS.restore, width: 2, label: `restore @ ${markers.restoreStep}`, labelAt: 'bottom' as const }] : []),
  ], [ckpts, markers.crashAtStep, markers.restoreStep]);
  const layer = useMemo<LayerData>(() => {
    const pts = (k: 'reference' | 'crashed' | 'resumed') => rows.map((r) => [r.step, r[k]] as const);
    const byStep = new Map(rows.map((r) => [r.step, r]));
    const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toPrecision(8));
    return {
      series: [
        ...(has.reference ? [{ key: 'reference', color: COLORS.reference, width: 5, opacity: 0.55, points: pts('reference') }] : []),
        ...(has.crashed ? [{ key: 'crashed', color: COLORS.crashed, width: 2, points: pts('crashed') }] : []),
        ...(has.resumed ? [{ key: 'resumed', color: COLORS.resumed, width: 2, points: pts('resumed') }] : []),
      ],
      marks,
      hoverXs: rows.map((r) => r.step),
      describe: (step: number): ReadoutLine[] => {
        const r = byStep.get(step);
        if (!r) return [];
        return [
          { text: `Step ${step}` },
          ...(has.reference ? [{ text: `Reference: ${fmt(r.reference)}`, color: COLORS.reference }] : []),
          ...(has.crashed ? [{ text: `${crashedName}: ${fmt(r.crashed)}`, color: COLORS.crashed }] : []),
          ...(has.resumed ? [{ text: `Resumed run: ${fmt(r.resumed)}`, color: COLORS.resumed }] : []),
        ];
      },
    };
  }, [rows, marks, has.reference, has.crashed, has.resumed, crashedName]);
  // The recharts element depends on the axes alone; between axis changes React reuses it as is (unless ?uiThrottle=off).
  const unthrottled = UI_THROTTLE ? null : layer;
  const frame = useMemo(() => (
    <ResponsiveContainer width="100%" height={300}>
      <LineChart data={NO_ROWS} margin={MARGIN}>
        <RenderProbe part="loss-frame" />
        <CartesianGrid stroke="#e9ecef" />
        <XAxis dataKey="step" type="number" domain={xDomain} ticks={xTicks} interval={0} label={X_LABEL} allowDataOverflow />
        <YAxis width={56} type="number" domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={yTick} allowDataOverflow />
        <LiveLayer part="loss-layer" />
      </LineChart>
    </ResponsiveContainer>
    // eslint-disable-next-line react-hooks/exhaustive-deps
  ), [xDomain, xTicks, y, unthrottled]);
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
          {crashedName}: {Math.min(len(curves.checkpointed), markers.crashAtStep ?? Infinity)} steps
          {markers.crashAtStep !== null ? `, crashed at step ${markers.crashAtStep}` : ''}
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
        <LayerContext.Provider value={layer}>{frame}</LayerContext.Provider>
      </div>
    </figure>
  );
});
