/** How the bench's report writes numbers and tables: one table shape for the terminal and for Markdown. */

export { formatBytes } from '../../src/core/units';

/** One table of the report; `section` is the --only name that produces it. */
export interface ReportTable {
  section: string;
  title: string;
  head: string[];
  rows: string[][];
  note?: string;
}

/** A target the bench checks a figure against, and how it came out. */
export interface Verdict {
  target: string;
  met: boolean;
  detail: string;
}

/** Bytes in a megabyte, for MB/s. */
export const MB = 1e6;

/** [min, max] of a non-empty list. */
export function range(xs: readonly number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** A number with about three significant digits ('—' for NaN). */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 10 ** digits) return x.toFixed(0);
  if (a === 0) return '0';
  return Number(x.toPrecision(digits)).toString();
}

/** A [min, max] range as '0.90–0.95'. */
export const fmtRange = (r: [number, number]): string => `${r[0].toFixed(2)}–${r[1].toFixed(2)}`;

/** A verdict cell: 'yes', 'NO', or empty where no target applies. */
export const mark = (ok: boolean | null): string => (ok === null ? '' : ok ? 'yes' : 'NO');

/** A table as aligned text columns. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A table as Markdown. */
export function mdTable(head: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** Line colours of the report's plots, in order. */
export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
