/**
 * Chaos: the page crashes itself at random moments during a run, resumes
 * each time, and at the end says how many crashes it survived, how many steps
 * it redid, and whether the result is still bit-exact. The moments and kinds
 * come from a seeded generator, so a run can be replayed from its seed
 * (`?chaosSeed=N`). The log lives in localStorage because half of the crashes
 * reload the page.
 */
import type { KeyValue } from './progressStore';

/** How chaos crashes: the whole tab (a reload), or only the training worker (a fresh one resumes in the same page). */
export type ChaosKind = 'tab' | 'worker';

/** The earliest and latest moment of a crash after the segment's first committed checkpoint, in milliseconds. */
export const CHAOS_DELAY_MIN_MS = 1_000;
export const CHAOS_DELAY_MAX_MS = 4_000;
/** Most crashes in one run, so that it always ends. */
export const CHAOS_MAX_CRASHES = 8;

/** One crash chaos made. */
export interface ChaosCrash {
  /** How. */
  kind: ChaosKind;
  /** The step the watched run had reached (at least its newest committed checkpoint). */
  atStep: number;
  /** The step the next resume restored from, once known. */
  restoredFrom: number | null;
}

/** The chaos log of a run. */
export interface ChaosLog {
  /** Seed of the draws. */
  seed: number;
  /** The run chaos is crashing, or null before its first run. */
  runId: string | null;
  /** The crashes so far, oldest first. */
  crashes: ChaosCrash[];
  /** Whether the run has reached its end. */
  done: boolean;
}

/** mulberry32: a 32-bit generator that is fully determined by its seed and position. */
function mulberry32(seed: number, index: number): number {
  let a = (seed + Math.imul(index + 1, 0x6d2b79f5)) | 0;
  a = Math.imul(a ^ (a >>> 15), a | 1);
  a ^= a + Math.imul(a ^ (a >>> 7), a | 61);
  return ((a ^ (a >>> 14)) >>> 0) / 2 ** 32;
}

/** The `n`th crash of a chaos run with `seed`: when (after the segment's first checkpoint) and how. */
export function chaosDraw(seed: number, n: number): { delayMs: number; kind: ChaosKind } {
  const delay = mulberry32(seed, 2 * n);
  const kind = mulberry32(seed, 2 * n + 1) < 0.5 ? 'tab' : 'worker';
  return { delayMs: Math.round(CHAOS_DELAY_MIN_MS + delay * (CHAOS_DELAY_MAX_MS - CHAOS_DELAY_MIN_MS)), kind };
}

/** Steps redone over every crash whose resume has started. */
export function stepsRedone(log: ChaosLog): number {
  return log.crashes.reduce((n, c) => n + (c.restoredFrom === null ? 0 : Math.max(0, c.atStep - c.restoredFrom)), 0);
}

/** The summary of a chaos run in words. */
export function chaosSummary(log: ChaosLog): string {
  const tabs = log.crashes.filter((c) => c.kind === 'tab').length;
  const workers = log.crashes.length - tabs;
  const redone = stepsRedone(log);
  return `${log.crashes.length} crash${log.crashes.length === 1 ? '' : 'es'} (${tabs} tab reload${tabs === 1 ? '' : 's'}, ${workers} worker kill${workers === 1 ? '' : 's'}), `
    + `${redone} step${redone === 1 ? '' : 's'} redone, seed ${log.seed}`;
}

/** The chaos line under the crash controls: off, waiting for a run, crashing, or done. */
export function chaosText(log: ChaosLog | null): string {
  if (!log) return '';
  if (log.runId === null) return `Chaos is on (seed ${log.seed}): the next run will be crashed at random moments.`;
  if (log.done) return `Chaos is over: the run survived ${chaosSummary(log)}. See the verdict.`;
  return `Chaos is crashing this run: ${chaosSummary(log)} so far.`;
}

const KEY = 'resumable:chaos';

/** The stored chaos log, or null when chaos is off. */
export function loadChaos(kv: KeyValue | null): ChaosLog | null {
  try {
    const raw = kv?.getItem(KEY);
    if (!raw) return null;
    const log = JSON.parse(raw) as ChaosLog;
    return Number.isInteger(log.seed) && Array.isArray(log.crashes) ? log : null;
  } catch {
    return null;
  }
}

/** Stores the chaos log (null turns chaos off). */
export function saveChaos(log: ChaosLog | null, kv: KeyValue | null): void {
  try {
    if (log === null) kv?.removeItem(KEY);
    else kv?.setItem(KEY, JSON.stringify(log));
  } catch {
    // Storage refused: chaos lasts for this page only.
  }
}
