/**
 * The run on screen. Engine events update a mutable copy at once (so a crash
 * can record exactly what was seen); React gets a snapshot at most every
 * UI_BATCH_MS (longer when rendering is slow), on an animation frame, and
 * localStorage gets the progress at most every PROGRESS_SAVE_MS. Keeping both
 * rates low keeps the main thread free while the worker trains.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { PROGRESS_SAVE_MS, RATE_WINDOW_MS, UI_BATCH_MAX_MS, UI_BATCH_MS, UI_RENDER_COST_RATIO } from '../core/constants';
import type { RunConfig } from '../core/config';
import type { Phase, SessionEvent } from '../protocol';
import type { Visual } from '../protocol';
import { saveProgress, type CrashMark, type RunProgress } from './progressStore';
import { countEventBatch, countPublish } from './renderProbe';
import { emptyCurves, mergeSteps, stepRate, type Curves } from './series';
import { UI_THROTTLE } from './uiFlags';

/** Everything the playground shows about the current run. */
export interface LiveRun {
  /** Run id, or null before any run. */
  runId: string | null;
  /** The run's configuration, its pitfall included. */
  config: RunConfig | null;
  /** Losses so far. */
  curves: Curves;
  /** Step the resume restored from. */
  restoreStep: number | null;
  /** Step where phase 2 was cut short. */
  crashAtStep: number | null;
  /** The latest crash or stop. */
  crash: CrashMark | null;
  /** Steps with a committed checkpoint seen during this run. */
  checkpointSteps: number[];
  /** Phase of the watched run's last step: 'checkpointed', or 'resumed' after a restore (the reference runs beside it). */
  phase: Phase | null;
  /** The watched run's last step seen. */
  step: number;
  /** The reference's last step seen (it runs beside the watched run, and catches up first after a restore). */
  referenceStep: number;
  /** Last step of the phase. */
  totalSteps: number;
  /** Steps per second, measured. */
  rate: number | null;
  /** Latest visual. */
  visual: Visual | null;
  /** Step of the latest visual. */
  visualStep: number;
  /** Phase of the latest visual. */
  visualPhase: Phase | null;
  /** Whether the run reached its end. */
  done: boolean;
}

/** A run with nothing in it. */
export function emptyRun(): LiveRun {
  return {
    runId: null, config: null, curves: emptyCurves(), restoreStep: null, crashAtStep: null, crash: null,
    checkpointSteps: [], phase: null, step: 0, referenceStep: 0, totalSteps: 0, rate: null, visual: null, visualStep: 0, visualPhase: null, done: false,
  };
}

function toProgress(r: LiveRun): RunProgress | null {
  if (!r.runId || !r.config) return null;
  return {
    v: 2, runId: r.runId, config: r.config, curves: r.curves, restoreStep: r.restoreStep, crashAtStep: r.crashAtStep,
    checkpoints: r.checkpointSteps, phase: r.phase, step: r.step, crash: r.crash, done: r.done, updatedAtMs: Date.now(),
  };
}

/** The live run, its published snapshot, and the ways to change it. */
export interface LiveRunHandle {
  /** Snapshot for rendering (refreshed at most every UI_BATCH_MS while events stream). */
  view: LiveRun;
  /** The up-to-the-event state (read it in handlers, not in render). */
  current: () => LiveRun;
  /** Applies engine events of the current run. */
  ingest: (events: readonly SessionEvent[]) => void;
  /** Replaces the run, publishes and saves at once. */
  reset: (next: Partial<LiveRun>) => void;
  /** Changes some fields, publishes and saves at once. */
  patch: (change: Partial<LiveRun>) => void;
}

/** Owns the live run state with batched publishing and throttled persistence. */
export function useLiveRun(): LiveRunHandle {
  const live = useRef<LiveRun>(emptyRun());
  const samples = useRef<Array<{ timeMs: number; step: number }>>([]);
  const [view, setView] = useState<LiveRun>(live.current);
  const timers = useRef<{ publish: ReturnType<typeof setTimeout> | null; frame: number | null; save: ReturnType<typeof setTimeout> | null }>({ publish: null, frame: null, save: null });
  const last = useRef({ publishMs: 0, saveMs: 0, batchMs: UI_BATCH_MS });

  // Back off when drawing is slow: the next batch waits at least UI_RENDER_COST_RATIO × what the last render took.
  useEffect(() => {
    const costMs = performance.now() - last.current.publishMs;
    last.current.batchMs = Math.min(UI_BATCH_MAX_MS, Math.max(UI_BATCH_MS, UI_RENDER_COST_RATIO * costMs));
  }, [view]);

  const publishNow = useCallback(() => {
    const t = timers.current;
    if (t.publish) clearTimeout(t.publish);
    if (t.frame !== null) cancelAnimationFrame(t.frame);
    t.publish = null;
    t.frame = null;
    last.current.publishMs = performance.now();
    live.current = { ...live.current, rate: stepRate(samples.current, RATE_WINDOW_MS) };
    countPublish();
    const next = live.current;
    // A transition: React may render it in slices, so a refresh does not hold the main thread in one piece.
    if (UI_THROTTLE) startTransition(() => setView(next));
    else flushSync(() => setView(next));
  }, []);

  const schedulePublish = useCallback(() => {
    const t = timers.current;
    if (t.publish || t.frame !== null) return;
    const wait = Math.max(0, last.current.batchMs - (performance.now() - last.current.publishMs));
    t.publish = setTimeout(() => {
      t.publish = null;
      t.frame = requestAnimationFrame(() => {
        t.frame = null;
        publishNow();
      });
    }, wait);
  }, [publishNow]);

  const saveNow = useCallback(() => {
    const t = timers.current;
    if (t.save) clearTimeout(t.save);
    t.save = null;
    last.current.saveMs = performance.now();
    const p = toProgress(live.current);
    if (p) saveProgress(p);
  }, []);

  const scheduleSave = useCallback(() => {
    const t = timers.current;
    if (t.save) return;
    const wait = Math.max(0, PROGRESS_SAVE_MS - (performance.now() - last.current.saveMs));
    t.save = setTimeout(saveNow, wait);
  }, [saveNow]);

  useEffect(() => () => {
    const t = timers.current;
    if (t.publish) clearTimeout(t.publish);
    if (t.frame !== null) cancelAnimationFrame(t.frame);
    if (t.save) clearTimeout(t.save);
  }, []);

  const ingest = useCallback((events: readonly SessionEvent[]) => {
    countEventBatch(events.reduce((n, e) => n + (e.type === 'step' ? 1 : 0), 0));
    const r = live.current;
    const mine = events.filter((e) => e.runId === r.runId);
    if (mine.length === 0) return;
    const next: LiveRun = { ...r, curves: mergeSteps(r.curves, mine) };
    for (const e of mine) {
      switch (e.type) {
        case 'phase':
          if (e.phase === 'reference') { next.referenceStep = e.fromStep; break; }
          next.phase = e.phase;
          next.step = e.fromStep;
          next.totalSteps = e.totalSteps;
          samples.current = [{ timeMs: performance.now(), step: e.fromStep }];
          if (e.phase === 'resumed') next.restoreStep = e.fromStep;
          break;
        case 'step':
          if (e.phase === 'reference') { next.referenceStep = e.step; break; }
          next.phase = e.phase;
          next.step = e.step;
          next.totalSteps = e.totalSteps;
          break;
        case 'checkpoint':
          if (!next.checkpointSteps.includes(e.info.step)) next.checkpointSteps = [...next.checkpointSteps, e.info.step].sort((a, b) => a - b);
          break;
        case 'visual': {
          const { type: _t, runId: _r, phase, step, ...visual } = e;
          next.visual = visual as Visual;
          next.visualStep = step;
          next.visualPhase = phase;
          break;
        }
        default:
          break;
      }
    }
    const s = samples.current;
    s.push({ timeMs: performance.now(), step: next.step });
    if (s.length > 256) s.splice(0, s.length - 128);
    live.current = next;
    if (UI_THROTTLE) schedulePublish();
    else publishNow();
    scheduleSave();
  }, [schedulePublish, publishNow, scheduleSave]);

  const reset = useCallback((n: Partial<LiveRun>) => {
    live.current = { ...emptyRun(), ...n };
    samples.current = [];
    publishNow();
    saveNow();
  }, [publishNow, saveNow]);

  const patch = useCallback((change: Partial<LiveRun>) => {
    live.current = { ...live.current, ...change };
    publishNow();
    saveNow();
  }, [publishNow, saveNow]);

  const current = useCallback(() => live.current, []);

  return { view, current, ingest, reset, patch };
}
