/**
 * The zoom on |reference − resumed| per step, on a log scale. log(0) is
 * undefined, so an exact zero is drawn in its own "exactly 0" band at the
 * bottom of the axis, and the text says how many steps are exactly 0.
 * As in LossChart, recharts draws the frame from props that change rarely
 * (the log axis moves only when a new decade of |Δ| appears) and LiveLayer
 * draws the points, so a live refresh does not re-render recharts.
 */
import { memo, useCallback, useMemo } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { CHART_MAX_POINTS } from '../core/constants';
import { HorizontalBand, type VMark } from './ChartMarks';
import { LayerContext, LiveLayer, type LayerData } from './LiveLayer';
import { RenderProbe } from './renderProbe';
import { diffRows, formatSci, stepTicks } from './series';
import { UI_THROTTLE } from './uiFlags';

/** Props of DiffChart. */
export interface DiffChartProps {
  /** Reference losses. */
  reference: number[];
  /** The curve compared with it (checkpointed, then resumed after the restore). */
  other: number[];
  /** What `other` is called in the title ("resumed" or "checkpointed run"). */
  otherName: string;
  /** Step restored from, for a marker. */
  restoreStep: number | null;
  /** Steps of the run (x axis end). */
  totalSteps: number;
}

const MARGIN = { top: 8, right: 18, bottom: 4, left: 4 };
const ZERO_COLOR = '#2b8a3e';
const DIFF_COLOR = '#c92a2a';
const DOT_RADIUS_PX = 2.5;
const NO_ROWS: never[] = [];
/** Above this many points the dots are dropped (lines only). */
const DOTS_MAX_POINTS = 120;

/** Log-scale |reference − other| per step with an "exactly 0" band. */
export const DiffChart = memo(function DiffChart({ reference, other, otherName, restoreStep, totalSteps }: DiffChartProps) {
  const view = useMemo(() => diffRows(reference, other, CHART_MAX_POINTS), [reference, other]);
  const { rows, floor, top, compared, zeros } = view;
  const bottom = floor / 10 ** 0.5;
  const bandTop = floor * 10 ** 0.5;
  const yDomain = useMemo(() => [bottom, top], [bottom, top]);
  const xDomain = useMemo(() => [1, Math.max(2, totalSteps)], [totalSteps]);
  const xTicks = useMemo(() => stepTicks(Math.max(2, totalSteps), 10), [totalSteps]);
  const allZero = zeros === compared;
  const ticks = useMemo(() => {
    if (allZero) return [floor];
    const t: number[] = [];
    const lo = Math.round(Math.log10(floor)), hi = Math.round(Math.log10(top));
    const stride = Math.max(1, Math.ceil((hi - lo) / 5));
    for (let e = lo; e <= hi; e += stride) t.push(10 ** e);
    return t;
  }, [floor, top, allZero]);
  const yTick = useCallback((v: number) => (Math.abs(v - floor) < floor * 1e-6 ? '0' : formatSci(v, 0)), [floor]);
  const marks = useMemo<VMark[]>(() => (restoreStep === null ? [] : [{ x: restoreStep, color: '#2b8a3e', width: 2 }]), [restoreStep]);
  const dots = rows.length <= DOTS_MAX_POINTS;
  const largest = rows.reduce((m, r) => Math.max(m, r.value), 0);
  const layer = useMemo<LayerData>(() => {
    const byStep = new Map(rows.map((r) => [r.step, r]));
    const dotRadius = dots ? DOT_RADIUS_PX : 0;
    return {
      series: [
        { key: 'zero', color: ZERO_COLOR, width: 4, dotRadius, points: rows.map((r) => [r.step, r.zero] as const) },
        { key: 'diff', color: DIFF_COLOR, width: 2, dotRadius, points: rows.map((r) => [r.step, r.diff] as const) },
      ],
      marks,
      hoverXs: rows.map((r) => r.step),
      describe: (step: number) => {
        const r = byStep.get(step);
        return r ? [{ text: `Step ${step}` }, { text: `|Δ| = ${r.value === 0 ? '0 (exactly)' : formatSci(r.value)}` }] : [];
      },
    };
  }, [rows, marks, dots]);
  // The recharts element depends on the axes alone; between axis changes React reuses it as is (unless ?uiThrottle=off).
  const unthrottled = UI_THROTTLE ? null : layer;
  const frame = useMemo(() => (
    <ResponsiveContainer width="100%" height={170}>
      <LineChart data={NO_ROWS} margin={MARGIN}>
        <RenderProbe part="diff-frame" />
        <CartesianGrid stroke="#e9ecef" />
        <XAxis dataKey="step" type="number" domain={xDomain} ticks={xTicks} interval={0} allowDataOverflow />
        <YAxis width={64} type="number" scale="log" domain={yDomain} allowDataOverflow ticks={ticks} interval={0} tickFormatter={yTick} />
        <HorizontalBand y1={bottom} y2={bandTop} fill="#d3f9d8" label="exactly 0" labelColor={ZERO_COLOR} />
        <LiveLayer part="diff-layer" />
      </LineChart>
    </ResponsiveContainer>
    // eslint-disable-next-line react-hooks/exhaustive-deps
  ), [xDomain, xTicks, yDomain, ticks, yTick, bottom, bandTop, unthrottled]);
  return (
    <figure className="chart small" aria-labelledby="diff-chart-title">
      <figcaption id="diff-chart-title">|reference − {otherName}| per step (log scale)</figcaption>
      <div className="chart-box" aria-hidden="true">
        {compared === 0 && <p className="empty">Appears once both runs have steps to compare.</p>}
        <LayerContext.Provider value={layer}>{frame}</LayerContext.Provider>
      </div>
      <p className="chart-note" data-testid="diff-summary">
        {compared === 0 ? 'No steps compared yet.'
          : zeros === compared ? `Exactly 0 at all ${compared} steps compared.`
            : `Non-zero at ${compared - zeros} of ${compared} steps compared; largest ${formatSci(largest)}.`}
      </p>
    </figure>
  );
});
