/** What every section's driver shares: the browser, the plan, the results so far, and a way to fail one measurement without stopping the bench. */
import type { Browser } from '@playwright/test';
import type { ProgressLine } from './driver';
import type { Plan, Section } from './plan';
import type { BenchResults, Status } from './results';

/** One bench run in progress. */
export interface Ctx {
  browser: Browser;
  /** Where the built app is served. */
  url: string;
  progress: ProgressLine;
  /** Filled in by the sections as they run. */
  res: BenchResults;
  plan: Plan;
  /** Sections to run (--only). */
  only: Set<Section>;
  /** The Chromium browser process, root of the processes whose threads section 2b reads. */
  chromiumPid: number;
}

/** The first line of an error's message, without Playwright's prefix. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/^page\.evaluate: /, '').split('\n')[0];

/** TF.js reports a kernel its backend lacks like this; the bench records the combination as unsupported, not failed. */
const isUnsupported = (msg: string): boolean => /not registered for backend/.test(msg);

/** Time a bench call on a backend's page may take before it counts as failed. */
export const callTimeout = (plan: Plan): number => (plan.quick ? 120_000 : 400_000);

/** The result of attempt: the value, or why there is none. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; status: Status; note: string };

/** Runs `f`, recording a failure under problems (or as unsupported) instead of stopping the bench. */
export async function attempt<T>(ctx: Ctx, label: string, f: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    const note = errorText(e);
    const status: Status = isUnsupported(note) ? 'unsupported' : 'error';
    if (status === 'error') ctx.res.problems.push(`${label}: ${note}`);
    ctx.progress.log(`  ${label}: ${status === 'unsupported' ? 'unsupported' : 'FAILED'}: ${note.slice(0, 160)}`);
    return { ok: false, status, note };
  }
}
