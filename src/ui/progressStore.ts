/**
 * The page's own log of the current run, in localStorage: the losses as they
 * stream in (written at most every PROGRESS_SAVE_MS), the checkpoints seen,
 * the last step seen, and, for the deliberate crash buttons, where the crash
 * was triggered. After a reload this is the only place the crashed curve past
 * the last checkpoint survives. The engine saves nothing on the way out; this
 * is the playground's memory of what it showed.
 */
import { PROGRESS_RUNS_KEPT } from '../core/constants';
import type { RunConfig } from '../core/config';
import type { Phase } from '../protocol';
import type { Curves } from './series';

/** How a run was cut short. */
export type CrashKind = 'tab' | 'step' | 'write' | 'chaos-tab' | 'chaos-worker' | 'stop' | 'unknown';

/** Where a run was cut short. */
export interface CrashMark {
  /** Which control did it ('stop' = the Stop button, not a crash; 'unknown' = the page ended without saying why). */
  kind: CrashKind;
  /** Phase running at the time (null before the first step). */
  phase: Phase | null;
  /** Last step the page had seen. */
  step: number;
  /** For 'write': the step whose checkpoint transaction was open when the worker died. */
  writeStep?: number;
  /** Wall-clock time, in milliseconds since the epoch. */
  atMs: number;
}

/** The page's record of one run. */
export interface RunProgress {
  /** Layout version of this record (records of another version are ignored). */
  v: 2;
  /** Run id. */
  runId: string;
  /** The run's configuration, its pitfall included. */
  config: RunConfig;
  /** Losses seen so far. */
  curves: Curves;
  /** Step the resumed run restored from, once a resume started. */
  restoreStep: number | null;
  /** Step where phase 2 was cut short (the crashed curve ends there), or null. */
  crashAtStep: number | null;
  /** Steps whose checkpoint commit the page was told about, oldest first. */
  checkpoints: number[];
  /** Phase of the last step seen. */
  phase: Phase | null;
  /** Last step seen. */
  step: number;
  /** Set when the run was cut short by a crash control or Stop. */
  crash: CrashMark | null;
  /** True once the run reached its end (finished or resumed to the last step). */
  done: boolean;
  /** Last write, in milliseconds since the epoch. */
  updatedAtMs: number;
}

const PREFIX = 'resumable:progress:';
const LAST_KEY = 'resumable:lastRunId';
const INDEX_KEY = 'resumable:progressIndex';
const AUTO_RESUME_KEY = 'resumable:autoResume';

/** The storage this module uses (localStorage in the page; any Storage in tests). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const store = (): KeyValue | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

/** Writes a run's progress and marks it as the latest run; drops the oldest runs past PROGRESS_RUNS_KEPT. Returns false when storage refused. */
export function saveProgress(p: RunProgress, kv: KeyValue | null = store()): boolean {
  if (!kv) return false;
  try {
    kv.setItem(PREFIX + p.runId, JSON.stringify({ ...p, updatedAtMs: Date.now() }));
    const order = [p.runId, ...readIndex(kv).filter((id) => id !== p.runId)];
    for (const id of order.slice(PROGRESS_RUNS_KEPT)) kv.removeItem(PREFIX + id);
    kv.setItem(INDEX_KEY, JSON.stringify(order.slice(0, PROGRESS_RUNS_KEPT)));
    kv.setItem(LAST_KEY, p.runId);
    return true;
  } catch {
    return false;
  }
}

/** Run ids with stored progress, most recently written first. */
function readIndex(kv: KeyValue): string[] {
  try {
    const raw = JSON.parse(kv.getItem(INDEX_KEY) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A run's progress, or null when none is stored or it is unreadable. */
export function loadProgress(runId: string, kv: KeyValue | null = store()): RunProgress | null {
  if (!kv) return null;
  try {
    const raw = kv.getItem(PREFIX + runId);
    if (!raw) return null;
    const p = JSON.parse(raw) as RunProgress;
    // Version 1 kept the pitfall beside the config and named the crash step differently: such a record only loses its crashed curve.
    if (p.v !== 2 || p.runId !== runId) return null;
    // JSON writes holes as null; curves use undefined for "no value".
    for (const k of ['reference', 'checkpointed', 'resumed'] as const) {
      p.curves[k] = p.curves[k].map((x) => (x === null ? undefined : x)) as number[];
    }
    return p;
  } catch {
    return null;
  }
}

/** The id of the run the page touched last, or null. */
export function lastRunId(kv: KeyValue | null = store()): string | null {
  return kv?.getItem(LAST_KEY) ?? null;
}

/** Forgets a run's progress. */
export function removeProgress(runId: string, kv: KeyValue | null = store()): void {
  if (!kv) return;
  kv.removeItem(PREFIX + runId);
  kv.setItem(INDEX_KEY, JSON.stringify(readIndex(kv).filter((id) => id !== runId)));
  if (kv.getItem(LAST_KEY) === runId) kv.removeItem(LAST_KEY);
}

/** Forgets every run's progress. */
export function clearAllProgress(kv: KeyValue | null = store()): void {
  if (!kv) return;
  const keys: string[] = [];
  for (let i = 0; i < kv.length; i++) {
    const k = kv.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  for (const k of keys) kv.removeItem(k);
  kv.removeItem(LAST_KEY);
  kv.removeItem(INDEX_KEY);
}

/** Whether the person asked to resume automatically after a crash. */
export function loadAutoResume(kv: KeyValue | null = store()): boolean {
  return kv?.getItem(AUTO_RESUME_KEY) === '1';
}

/** Remembers the auto-resume choice. */
export function saveAutoResume(on: boolean, kv: KeyValue | null = store()): void {
  try {
    kv?.setItem(AUTO_RESUME_KEY, on ? '1' : '0');
  } catch {
    // Storage refused; the choice lasts for this page only.
  }
}
