/**
 * Chaos mode: while a run or a resume goes on, the page crashes itself at a
 * drawn moment after each segment's first committed checkpoint (so every
 * segment has something to resume from), either the whole tab or only the
 * training worker, and resumes each time, until the run reaches its end.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionEvent } from '../protocol';
import { CHAOS_MAX_CRASHES, chaosDraw, loadChaos, saveChaos, type ChaosLog } from './chaos';
import type { Activity } from './ProgressBar';
import type { EngineHandle } from './useEngine';
import type { LiveRunHandle } from './useLiveRun';
import type { RunController } from './useRunController';

const storage = () => (typeof localStorage === 'undefined' ? null : localStorage);

/** A seed for a new chaos run: the one in `?chaosSeed=`, else a fresh one. */
function newSeed(): number {
  const given = Number(new URLSearchParams(location.search).get('chaosSeed'));
  return Number.isSafeInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31);
}

/** Chaos's state and switch. */
export interface ChaosHandle {
  /** The log of the chaos run, or null when chaos is off. */
  log: ChaosLog | null;
  /** Turns chaos on (for the next or current run) or off. */
  setOn: (on: boolean) => void;
  /** Whether a found run should resume by itself because chaos crashed it. */
  wantsResume: (runId: string) => boolean;
}

/** Owns chaos: schedules the crashes and keeps their log. */
export function useChaos({ engine, run, ctl, activity }: {
  engine: Pick<EngineHandle, 'subscribe'>;
  run: Pick<LiveRunHandle, 'current'>;
  ctl: Pick<RunController, 'crash' | 'crashWorker'>;
  activity: Activity;
}): ChaosHandle {
  const [log, setLogState] = useState<ChaosLog | null>(() => loadChaos(storage()));
  const latest = useRef(log);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const segmentStart = useRef<number | null>(null);
  const busy = activity === 'running' || activity === 'resuming';
  const busyNow = useRef(busy);
  busyNow.current = busy;

  const setLog = useCallback((next: ChaosLog | null) => {
    latest.current = next;
    saveChaos(next, storage());
    setLogState(next);
  }, []);

  const cancel = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const setOn = useCallback((on: boolean) => {
    cancel();
    setLog(on ? { seed: newSeed(), runId: null, crashes: [], done: false } : null);
  }, [cancel, setLog]);

  const fire = useCallback(() => {
    timer.current = null;
    const l = latest.current;
    const r = run.current();
    if (!l || l.done || !busyNow.current || r.runId !== l.runId) return;
    const { kind } = chaosDraw(l.seed, l.crashes.length);
    const atStep = Math.max(r.step, r.checkpointSteps.at(-1) ?? 0);
    setLog({ ...l, crashes: [...l.crashes, { kind, atStep, restoredFrom: null }] });
    if (kind === 'tab') ctl.crash('chaos-tab');
    else void ctl.crashWorker('chaos-worker');
  }, [run, ctl, setLog]);

  const onEvents = useCallback((events: SessionEvent[]) => {
    const l = latest.current;
    const r = run.current();
    if (!l || l.done) return;
    for (const e of events) {
      if (e.runId !== r.runId || e.runId === '') continue;
      if (e.type === 'phase' && e.phase === 'checkpointed' && l.runId !== e.runId) {
        // A new run under chaos: its log starts here, with the same seed.
        setLog({ ...l, runId: e.runId, crashes: [], done: false });
        segmentStart.current = e.fromStep;
      } else if (e.type === 'checkpoint' && l.runId === null) {
        // Chaos turned on during a run: it takes this run from here.
        setLog({ ...l, runId: e.runId });
        segmentStart.current = e.info.step;
        continue;
      }
      const cur = latest.current!;
      if (cur.runId !== e.runId) continue;
      if (e.type === 'phase' && e.phase === 'resumed') {
        segmentStart.current = e.fromStep;
        const last = cur.crashes.at(-1);
        if (last && last.restoredFrom === null) setLog({ ...cur, crashes: [...cur.crashes.slice(0, -1), { ...last, restoredFrom: e.fromStep }] });
      }
      if (e.type === 'checkpoint' && segmentStart.current !== null && e.info.step > segmentStart.current && !timer.current && cur.crashes.length < CHAOS_MAX_CRASHES) {
        timer.current = setTimeout(fire, chaosDraw(cur.seed, cur.crashes.length).delayMs);
      }
    }
  }, [run, fire, setLog]);
  const { subscribe } = engine;
  useEffect(() => subscribe(onEvents), [subscribe, onEvents]);

  // The run reached its end (or was stopped): chaos for it is over.
  const { current } = run;
  useEffect(() => {
    if (busy) return;
    cancel();
    const l = latest.current;
    const r = current();
    if (l && !l.done && l.runId !== null && l.runId === r.runId && r.done) setLog({ ...l, done: true });
  }, [busy, cancel, current, setLog]);
  useEffect(() => cancel, [cancel]);

  const wantsResume = useCallback((runId: string) => {
    const l = latest.current;
    return l !== null && !l.done && l.runId === runId;
  }, []);

  return { log, setOn, wantsResume };
}
