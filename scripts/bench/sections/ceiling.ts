/** Section 6: the training step's achieved GFLOP/s against one large matmul on the same backend. */
import type { BackendName } from '../../../src/core/config';
import { matmulFlops } from '../../../src/harness/bench/flops';
import type { MatmulResult } from '../../../src/harness/bench/protocol';
import { median } from '../../../src/harness/bench/stats';
import { attempt, callTimeout, type Ctx } from '../context';
import type { BenchPage } from '../driver';
import { fmt, type ReportTable } from '../format';
import type { BenchResults, Summary } from '../results';

/** Section 6, raw. */
export interface CeilingEntry { backend: BackendName; result: MatmulResult }

/** Section 6's measurement on one backend's page. */
export async function runCeiling(ctx: Ctx, page: BenchPage, backend: BackendName): Promise<void> {
  ctx.progress.setSection(`6 matmul ceiling ${backend}`);
  const mm = await attempt(ctx, `matmul ${backend}`, () => page.call('matmul', ctx.plan.matmul, callTimeout(ctx.plan)));
  if (mm.ok) ctx.res.ceilings.push({ backend, result: mm.value });
}

/** Attainable GFLOP/s of a backend: a square matmul's FLOPs over its median time. */
export function ceilingGflops(r: MatmulResult): number {
  return matmulFlops(r.n, r.n, r.n) / median(r.ms) / 1e6;
}

/** Section 6's table: one row per measured throughput row, with its backend's ceiling. */
export function ceilingTable(s: Summary, res: BenchResults): ReportTable {
  return {
    section: 'ceiling',
    title: '6. Distance to the limit: achieved GFLOP/s of the training step vs one large matmul on the same backend',
    head: ['backend', 'model', 'GFLOP/step', 'achieved GFLOP/s', 'matmul', 'ceiling GFLOP/s', '% of ceiling'],
    rows: s.throughput.filter((t) => t.status === 'ok').map((t) => {
      const c = res.ceilings.find((x) => x.backend === t.backend);
      const flops = res.throughput.find((x) => x.backend === t.backend && x.model === t.model)?.flopsPerStep ?? NaN;
      return [t.backend, t.model, fmt(flops / 1e9), fmt(t.achievedGflops), c ? `${c.result.n}³` : '—', fmt(t.ceilingGflops), t.ceilingGflops ? `${((t.achievedGflops / t.ceilingGflops) * 100).toFixed(1)}%` : '—'];
    }),
    note: `Storage ceiling: raw strict put ${fmt(s.storageCeilingMBps)} MB/s at best (3a and 4); see 3a and 4 for the commit path against it.`,
  };
}
