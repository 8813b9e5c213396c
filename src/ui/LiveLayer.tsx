/**
 * The part of a chart that changes while a run streams: the curves, the
 * vertical markers and the hover readout, drawn as plain SVG from the
 * chart's scales. recharts 3 keeps its data in a store read through
 * useSyncExternalStore, so handing it new rows re-renders the whole chart
 * synchronously (30–60 ms of main thread per refresh on a loaded 2-core
 * machine, the long tasks the playground must not have). A chart therefore
 * gives recharts only what changes rarely (axes, grid, bands) as a memoized
 * element, and passes what changes often through LayerContext, whose one
 * consumer is this layer: a refresh re-renders one small component.
 */
import { createContext, memo, useContext, useState, type PointerEvent } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { VerticalMarks, type VMark } from './ChartMarks';
import { useCommitCount } from './renderProbe';

/** One curve: (x, y) points, where a missing y breaks the line. */
export interface LayerSeries {
  /** Stable key, also the CSS class suffix (`series-<key>`). */
  key: string;
  /** Stroke colour. */
  color: string;
  /** Stroke width in px. */
  width: number;
  /** Stroke opacity (1 when omitted). */
  opacity?: number;
  /** Radius of a dot at each point, or 0 for none. */
  dotRadius?: number;
  /** Points in data units, ordered by x. */
  points: ReadonlyArray<readonly [number, number | undefined]>;
}

/** One line of the hover readout. */
export interface ReadoutLine {
  /** Text shown. */
  text: string;
  /** Text colour. */
  color?: string;
}

/** What the layer draws. */
export interface LayerData {
  /** Curves, drawn in order (later on top). */
  series: LayerSeries[];
  /** Vertical markers under the curves. */
  marks: VMark[];
  /** The x values hover can land on (sorted); empty disables the readout. */
  hoverXs: readonly number[];
  /** Lines of the readout at an x from hoverXs. */
  describe: (x: number) => ReadoutLine[];
}

const EMPTY: LayerData = { series: [], marks: [], hoverXs: [], describe: () => [] };

/** Carries a chart's fast-changing data past its memoized recharts element to LiveLayer. */
export const LayerContext = createContext<LayerData>(EMPTY);

/** SVG path data for points through the scales; undefined or off-scale y values start a new segment. */
export function pathData(points: LayerSeries['points'], x: (v: number) => number | undefined, y: (v: number) => number | undefined): string {
  let d = '';
  let pen = false;
  for (const [px, py] of points) {
    const sx = x(px);
    const sy = py === undefined ? undefined : y(py);
    if (sx === undefined || sy === undefined || !Number.isFinite(sx) || !Number.isFinite(sy)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${sx.toFixed(1)},${sy.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Index of the value in a sorted array closest to v (−1 when empty). */
export function nearestIndex(sorted: readonly number[], v: number): number {
  if (sorted.length === 0) return -1;
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo > 0 && v - sorted[lo - 1] <= sorted[lo] - v ? lo - 1 : lo;
}

const READOUT_LINE_PX = 16;
const READOUT_PAD_PX = 6;
const READOUT_CHAR_PX = 7;

/** Curves, markers and hover readout of the chart it is placed in (a child of a recharts chart); `part` names it for the render probe. */
export const LiveLayer = memo(function LiveLayer({ part }: { part: string }) {
  useCommitCount(part);
  const data = useContext(LayerContext);
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const [hoverX, setHoverX] = useState<number | null>(null);
  if (!x || !y || !area) return null;
  const toX = (v: number) => x(v) as number | undefined;
  const toY = (v: number) => y(v) as number | undefined;
  const x0 = data.hoverXs.length ? toX(data.hoverXs[0]) : undefined;
  const x1 = data.hoverXs.length ? toX(data.hoverXs[data.hoverXs.length - 1]) : undefined;

  const onMove = (e: PointerEvent<SVGRectElement>) => {
    if (x0 === undefined || x1 === undefined) return;
    const box = e.currentTarget.getBoundingClientRect();
    const px = area.x + (e.clientX - box.left);
    // The x axes here are linear in the step, so pixels map back by proportion.
    const span = x1 - x0;
    const first = data.hoverXs[0], last = data.hoverXs[data.hoverXs.length - 1];
    const v = span === 0 ? first : first + ((px - x0) / span) * (last - first);
    const i = nearestIndex(data.hoverXs, v);
    setHoverX(i < 0 ? null : data.hoverXs[i]);
  };

  const readout = hoverX === null ? [] : data.describe(hoverX);
  const hx = hoverX === null ? undefined : toX(hoverX);
  const boxW = READOUT_PAD_PX * 2 + READOUT_CHAR_PX * Math.max(0, ...readout.map((l) => l.text.length));
  const boxH = READOUT_PAD_PX * 2 + READOUT_LINE_PX * readout.length;
  const boxX = hx === undefined ? 0 : hx + 12 + boxW > area.x + area.width ? hx - 12 - boxW : hx + 12;
  return (
    <g className="live-layer">
      <VerticalMarks marks={data.marks} />
      {data.series.map((s) => (
        <g key={s.key} className={`series series-${s.key}`}>
          <path className="series-curve" d={pathData(s.points, toX, toY)} fill="none" stroke={s.color} strokeWidth={s.width}
            strokeOpacity={s.opacity ?? 1} strokeLinejoin="round" strokeLinecap="round" />
          {(s.dotRadius ?? 0) > 0 && s.points.map(([px, py]) => {
            const cx = toX(px), cy = py === undefined ? undefined : toY(py);
            return cx === undefined || cy === undefined ? null : <circle key={px} cx={cx} cy={cy} r={s.dotRadius} fill={s.color} />;
          })}
        </g>
      ))}
      {hx !== undefined && readout.length > 0 && (
        <g className="readout" pointerEvents="none">
          <line x1={hx} x2={hx} y1={area.y} y2={area.y + area.height} stroke="#adb5bd" />
          <rect x={boxX} y={area.y + 4} width={boxW} height={boxH} rx={5} fill="#fff" stroke="#dee2e6" />
          {readout.map((l, i) => (
            <text key={i} x={boxX + READOUT_PAD_PX} y={area.y + 4 + READOUT_PAD_PX + READOUT_LINE_PX * (i + 1) - 4} fontSize={12}
              fontWeight={i === 0 ? 650 : 400} fill={l.color ?? '#212529'}>{l.text}</text>
          ))}
        </g>
      )}
      <rect className="hover-target" x={area.x} y={area.y} width={Math.max(0, area.width)} height={Math.max(0, area.height)} fill="transparent"
        onPointerMove={onMove} onPointerLeave={() => setHoverX(null)} />
    </g>
  );
});
