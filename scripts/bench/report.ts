/**
 * The bench's report: every section's rows and verdicts derived from the raw
 * figures (summarize), and their renderings as a terminal table, a Markdown
 * summary and SVG plots. Each section's rows, table and verdicts are its own
 * (sections/*.ts); this puts them together in report order.
 */
import { ceilingTable } from './sections/ceiling';
import { cpuRows, cpuTable } from './sections/cpu';
import { growthPlot, growthRow, growthTable } from './sections/growth';
import { longTaskRow, longTaskTable, longTaskVerdicts } from './sections/longtasks';
import { overheadPlot, overheadRows, overheadTable, overheadVerdicts } from './sections/overhead';
import { restoreRow, restoreTable } from './sections/restore';
import { storageRow, storageTable, storageVerdicts } from './sections/storage';
import { throughputRow, throughputTable, throughputVerdicts } from './sections/throughput';
import { mdTable, textTable, type ReportTable } from './format';
import type { BenchResults, Summary } from './results';

/** Every derived row and the verdict on each target. */
export function summarize(res: BenchResults): Summary {
  const ceilings = new Map(res.ceilings.map((c) => [c.backend, c.result]));
  const throughput = res.throughput.map((e) => throughputRow(e, ceilings.get(e.backend)));
  const overhead = res.overhead.flatMap(overheadRows);
  const cpu = (res.cpu ?? []).flatMap(cpuRows);
  const storage = res.storage.map(storageRow);
  const restore = res.restore.filter((e) => e.results.length > 0).map(restoreRow);
  const growth = (res.growth?.points ?? []).map(growthRow);
  // Results from before section 5 ran on the playground page hold a single object here.
  const longTasks = (Array.isArray(res.longTasks) ? res.longTasks : []).filter((e) => e.runs.length > 0).map(longTaskRow);
  const rawRates = [...storage.filter((s) => s.status === 'ok').map((s) => s.rawMBps), ...growth.map((g) => g.rawMBps)];
  const storageCeilingMBps = rawRates.length > 0 ? Math.max(...rawRates) : null;
  const verdicts = [...throughputVerdicts(throughput), ...overheadVerdicts(overhead), ...storageVerdicts(storage), ...longTaskVerdicts(longTasks)];
  return { throughput, overhead, cpu, storage, restore, growth, longTasks, storageCeilingMBps, verdicts };
}

/** The tables of the sections that ran (all when meta.sections is absent), in report order. */
export function tables(s: Summary, res: BenchResults): ReportTable[] {
  const ran = res.meta.sections ? new Set(res.meta.sections) : null;
  const all = [
    throughputTable(s), overheadTable(s), cpuTable(s), storageTable(s), restoreTable(s), growthTable(s, res), longTaskTable(s), ceilingTable(s, res),
  ].filter((t): t is ReportTable => t !== null);
  return all.filter((t) => ran === null || ran.has(t.section));
}

/** The whole report as terminal text. */
export function renderText(res: BenchResults, s: Summary): string {
  const parts: string[] = [];
  for (const t of tables(s, res)) {
    parts.push(t.title, textTable(t.head, t.rows));
    if (t.note) parts.push(t.note);
    parts.push('');
  }
  parts.push('Targets:');
  for (const v of s.verdicts) parts.push(`  [${v.met ? 'met ' : 'MISS'}] ${v.target}: ${v.detail}`);
  if (res.problems.length > 0) {
    parts.push('', 'Problems:');
    for (const p of res.problems) parts.push(`  ${p}`);
  }
  return parts.join('\n');
}

/** The whole report as Markdown, with the plots referenced by file name. */
export function renderMarkdown(res: BenchResults, s: Summary, plots: string[]): string {
  const m = res.meta;
  const lines: string[] = [
    `# Resumable bench${m.quick ? ' (quick)' : ''}`,
    '',
    `Run ${m.startedAt}, ${m.wallS.toFixed(0)} s. Machine: ${m.machine.cpus}× ${m.machine.cpuModel}, ${m.machine.memoryGiB} GiB, ${m.machine.os}; Node ${m.machine.node}; ${m.machine.chromium}; TF.js ${m.machine.tfjs}.`,
    `Backends: ${m.backends.map((b) => `${b.backend} (${b.adapter})`).join('; ') || 'none'}${m.unavailable.length ? `; unavailable: ${m.unavailable.map((u) => `${u.backend} (${u.reason})`).join('; ')}` : ''}.`,
    `Every figure is a median of at least 5 timed repetitions after a warm-up (up to ${m.reps}); every ratio compares two things measured in the same run, interleaved. `
      + `Load average ${m.loadAverage.start.toFixed(1)} at the start and ${m.loadAverage.end.toFixed(1)} at the end on ${m.machine.cpus} cores.`,
    '',
  ];
  for (const t of tables(s, res)) {
    lines.push(`## ${t.title}`, '', mdTable(t.head, t.rows), '');
    if (t.note) lines.push(t.note, '');
  }
  lines.push('## Targets', '');
  for (const v of s.verdicts) lines.push(`- ${v.met ? '✅' : '❌'} ${v.target}: ${v.detail}`);
  lines.push('');
  if (plots.length > 0) {
    lines.push('## Plots', '');
    for (const p of plots) lines.push(`![${p}](${p})`, '');
  }
  if (res.problems.length > 0) {
    lines.push('## Problems', '');
    for (const p of res.problems) lines.push(`- ${p}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The SVG plots by file name: growth (log-log) and checkpoint overhead by interval, each where it has data. */
export function renderPlots(res: BenchResults, s: Summary): Record<string, string> {
  const plots: Record<string, string> = {};
  const growth = growthPlot(s, res);
  if (growth !== null) plots['growth.svg'] = growth;
  const overhead = overheadPlot(s);
  if (overhead !== null) plots['overhead.svg'] = overhead;
  return plots;
}
