/**
 * Markers drawn inside a recharts chart with its scale hooks: vertical lines
 * (checkpoints, crash, restore) and a horizontal band. recharts'
 * ReferenceLine/ReferenceArea register with the chart's store and re-register
 * on every render, which made each live refresh dispatch dozens of store
 * updates; these read the scales and draw plain SVG instead.
 */
import { memo } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

/** One vertical marker. */
export interface VMark {
  /** Step (x value). */
  x: number;
  /** Stroke colour. */
  color: string;
  /** Stroke width in px. */
  width?: number;
  /** SVG dash pattern. */
  dash?: string;
  /** Text next to the line. */
  label?: string;
  /** Where the text goes: top right of the line, or bottom left of it. */
  labelAt?: 'top' | 'bottom';
}

/** Vertical marker lines across the plot area, with optional labels. */
export const VerticalMarks = memo(function VerticalMarks({ marks }: { marks: VMark[] }) {
  const x = useXAxisScale();
  const area = usePlotArea();
  if (!x || !area) return null;
  return (
    <g className="chart-marks">
      {marks.map((m) => {
        const px = x(m.x);
        if (px === undefined || px < area.x - 0.5 || px > area.x + area.width + 0.5) return null;
        const top = m.labelAt !== 'bottom';
        return (
          <g key={`${m.x}-${m.color}`}>
            <line x1={px} x2={px} y1={area.y} y2={area.y + area.height} stroke={m.color} strokeWidth={m.width ?? 1} strokeDasharray={m.dash} />
            {m.label && (
              <text x={top ? px + 4 : px - 4} y={top ? area.y + 12 : area.y + area.height - 6} textAnchor={top ? 'start' : 'end'}
                fill={m.color} fontSize={12}>{m.label}</text>
            )}
          </g>
        );
      })}
    </g>
  );
});

/** A horizontal band between two y values with a label just above its right end. */
export const HorizontalBand = memo(function HorizontalBand({ y1, y2, fill, label, labelColor }: { y1: number; y2: number; fill: string; label: string; labelColor: string }) {
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!y || !area) return null;
  const a = y(y1), b = y(y2);
  if (a === undefined || b === undefined) return null;
  const top = Math.max(area.y, Math.min(a, b));
  const bottom = Math.min(area.y + area.height, Math.max(a, b));
  return (
    <g className="chart-band">
      <rect x={area.x} y={top} width={area.width} height={Math.max(0, bottom - top)} fill={fill} />
      <text x={area.x + area.width - 4} y={top - 4} textAnchor="end" fill={labelColor} fontSize={11}>{label}</text>
    </g>
  );
});
