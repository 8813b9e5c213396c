/**
 * What the model does right now: the decision boundary over the test points
 * for 2-D datasets, or test digits with their predicted labels (wrong ones
 * marked in words and colour). Refreshed from the engine's 'visual' events,
 * which arrive at most every VISUAL_EVERY_MS.
 */
import { memo, useEffect, useRef } from 'react';
import { BOUNDARY_SIDE_CSS_PX, DIGIT_SIDE_CSS_PX, MNIST_SIDE_PX } from '../core/constants';
import type { Phase } from '../protocol';
import type { BoundaryVisual, DigitsVisual, Visual } from '../protocol';

/** Class colours (RGB), shared by cells and points. */
const CLASS_RGB: Array<[number, number, number]> = [
  [25, 113, 194], [240, 140, 0], [47, 158, 68], [224, 49, 49], [132, 94, 247],
  [12, 166, 120], [230, 73, 128], [116, 143, 252], [250, 176, 5], [73, 80, 87],
];

/** Props of TaskView. */
export interface TaskViewProps {
  /** The latest visual, or null before the first. */
  visual: Visual | null;
  /** Step the visual was computed at. */
  step: number;
  /** Phase the visual was computed in. */
  phase: Phase | null;
}

function Boundary({ v, step }: { v: BoundaryVisual; step: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const side = Math.round(BOUNDARY_SIDE_CSS_PX * dpr);
    if (canvas.width !== side) { canvas.width = side; canvas.height = side; }
    // Cells: class colour blended towards white by (1 − confidence).
    const n = v.cells;
    const cellImg = ctx.createImageData(n, n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const i = r * n + c;
        const [R, G, B] = CLASS_RGB[v.classes[i] % CLASS_RGB.length];
        const a = 0.15 + 0.45 * Math.max(0, Math.min(1, (v.confidence[i] - 0.5) * 2));
        const o = 4 * ((n - 1 - r) * n + c); // row 0 is yMin: draw it at the bottom
        cellImg.data[o] = Math.round(255 - (255 - R) * a);
        cellImg.data[o + 1] = Math.round(255 - (255 - G) * a);
        cellImg.data[o + 2] = Math.round(255 - (255 - B) * a);
        cellImg.data[o + 3] = 255;
      }
    }
    const tmp = document.createElement('canvas');
    tmp.width = n; tmp.height = n;
    tmp.getContext('2d')!.putImageData(cellImg, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tmp, 0, 0, side, side);
    const [x0, x1, y0, y1] = v.extent;
    const radius = 2.6 * dpr;
    ctx.lineWidth = 1 * dpr;
    ctx.strokeStyle = '#fff';
    for (const [x, y, label] of v.points) {
      const [R, G, B] = CLASS_RGB[label % CLASS_RGB.length];
      ctx.fillStyle = `rgb(${R},${G},${B})`;
      ctx.beginPath();
      ctx.arc(((x - x0) / (x1 - x0)) * side, (1 - (y - y0) / (y1 - y0)) * side, radius, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
  }, [v]);
  return (
    <canvas ref={ref} className="boundary" style={{ width: BOUNDARY_SIDE_CSS_PX, height: BOUNDARY_SIDE_CSS_PX }}
      role="img" aria-label={`Decision boundary at step ${step}: shaded by predicted class over ${v.points.length} test points coloured by true class`} />
  );
}

function Digit({ pixels, side }: { pixels: number[]; side: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const v = 255 - pixels[i];
      img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels, side]);
  return <canvas ref={ref} width={side} height={side} style={{ width: DIGIT_SIDE_CSS_PX, height: DIGIT_SIDE_CSS_PX }} aria-hidden="true" />;
}

function Digits({ v }: { v: DigitsVisual }) {
  const wrong = v.predicted.filter((p, i) => p !== v.labels[i]).length;
  return (
    <>
      <p>Test accuracy {(v.testAccuracy * 100).toFixed(1)}% · {wrong} of {v.labels.length} shown are wrong</p>
      <ul className="digits">
        {v.images.map((img, i) => {
          const ok = v.predicted[i] === v.labels[i];
          return (
            <li key={i} className={ok ? 'ok' : 'wrong'}>
              <Digit pixels={img} side={MNIST_SIDE_PX} />
              <span>{ok ? `✓ ${v.predicted[i]}` : `✗ ${v.predicted[i]} (is ${v.labels[i]})`}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The task view: decision boundary or digit predictions. */
export const TaskView = memo(function TaskView({ visual, step, phase }: TaskViewProps) {
  return (
    <section className="card task" aria-labelledby="task-title">
      <h2 id="task-title">What the model sees{visual ? ` · step ${step}${phase ? ` (${phase})` : ''}` : ''}</h2>
      {!visual && <p className="hint">The decision boundary (2-D data) or the predicted digits appear while the model trains.</p>}
      {visual?.kind === 'boundary' && <Boundary v={visual} step={step} />}
      {visual?.kind === 'digits' && <Digits v={visual} />}
    </section>
  );
});
