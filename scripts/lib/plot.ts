/** A dependency-free SVG line chart for command-line reports (verify, bench). */

/** One line of a chart. */
export interface Series {
  /** Legend label. */
  label: string;
  /** Points [x, y]. */
  points: Array<[number, number]>;
  /** Stroke colour. */
  color: string;
  /** Dash pattern, e.g. '6 4'. */
  dash?: string;
  /** Stroke width in px. */
  width?: number;
}

/** Options of a chart. */
export interface ChartOptions {
  /** Title above the plot. */
  title: string;
  /** X axis label. */
  xLabel: string;
  /** Y axis label. */
  yLabel: string;
  /** Vertical markers [x, label]. */
  markers?: Array<[number, string]>;
  /** Log-scale x and y (for growth curves). */
  logX?: boolean;
  /** Log-scale y. */
  logY?: boolean;
  /** Width in px. */
  width?: number;
  /** Height in px. */
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders series as an SVG document string. */
export function lineChartSvg(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 900, H = o.height ?? 480;
  const m = { l: 80, r: 200, t: 50, b: 60 };
  const fx = (x: number) => (o.logX ? Math.log10(x) : x);
  const fy = (y: number) => (o.logY ? Math.log10(y) : y);
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(fx(x)) && Number.isFinite(fy(y)));
  const xs = pts.map(([x]) => fx(x)), ys = pts.map(([, y]) => fy(y));
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
  // A log axis spans whole decades, so its first and last ticks sit on the data's ends or beyond.
  if (o.logX) { x0 = Math.floor(x0); x1 = Math.ceil(x1); }
  if (!(y1 > y0)) { y0 -= 1; y1 += 1; }
  if (o.logY) { y0 = Math.floor(y0); y1 = Math.ceil(y1); } else { const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad; }
  const sx = (x: number) => m.l + ((fx(x) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((fy(y) - y0) / (y1 - y0)) * (H - m.t - m.b);
  // Round tick values (1, 2 or 5 × 10^k apart) inside [a, b]; on a log axis, whole decades.
  const ticks = (a: number, b: number, n: number, log?: boolean) => {
    const raw = (b - a) / n;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = log ? Math.max(1, Math.ceil(raw)) : [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
    const out: number[] = [];
    for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  };
  const fmt = (v: number, log?: boolean) => (log ? `1e${Math.round(v)}` : Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - m.r / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${esc(o.title)}</text>`);
  for (const t of ticks(x0, x1, 6, o.logX)) {
    const X = m.l + ((t - x0) / (x1 - x0)) * (W - m.l - m.r);
    out.push(`<line x1="${X}" y1="${m.t}" x2="${X}" y2="${H - m.b}" stroke="#eee"/><text x="${X}" y="${H - m.b + 18}" text-anchor="middle">${fmt(t, o.logX)}</text>`);
  }
  for (const t of ticks(y0, y1, 5, o.logY)) {
    const Y = H - m.b - ((t - y0) / (y1 - y0)) * (H - m.t - m.b);
    out.push(`<line x1="${m.l}" y1="${Y}" x2="${W - m.r}" y2="${Y}" stroke="#eee"/><text x="${m.l - 8}" y="${Y + 4}" text-anchor="end">${fmt(t, o.logY)}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 15}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // Markers at the same x share one line and one label.
  const merged = new Map<number, string[]>();
  for (const [x, label] of o.markers ?? []) merged.set(x, [...(merged.get(x) ?? []), label]);
  for (const [x, labels] of merged) {
    const label = labels.join(', ');
    const X = sx(x);
    out.push(`<line x1="${X}" y1="${m.t}" x2="${X}" y2="${H - m.b}" stroke="#c00" stroke-dasharray="4 3"/><text x="${X + 4}" y="${m.t + 14}" fill="#c00">${esc(label)}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points.filter(([x, y]) => Number.isFinite(fx(x)) && Number.isFinite(fy(y))).map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    const ly = m.t + 10 + i * 22;
    out.push(`<line x1="${W - m.r + 15}" y1="${ly}" x2="${W - m.r + 45}" y2="${ly}" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${W - m.r + 52}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
