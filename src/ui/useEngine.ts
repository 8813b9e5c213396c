/**
 * The hook that owns the training worker: creates an EngineClient, starts
 * TF.js on the requested backend, reports what runs, re-creates the worker
 * when the backend changes or a fresh one is needed, hands every batch of
 * engine events to its subscribers, and crashes it on purpose (terminate,
 * then reload the page).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendName } from '../core/config';
import type { Api, BackendReport, Method, SessionEvent } from '../protocol';
import { EngineClient } from '../worker/client';
import { UI_THROTTLE } from './uiFlags';

/** Where the worker stands. */
export type EngineStatus = 'none' | 'starting' | 'ready' | 'failed';

/** Receives a batch of engine events. */
export type EventsListener = (events: SessionEvent[]) => void;

interface Slot {
  client: EngineClient;
  backend: BackendName;
  ready: Promise<BackendReport>;
  failed: boolean;
  /** Whether this worker has trained (a resume into "fresh objects in a fresh worker" needs one that has not). */
  used: boolean;
}

/** What the playground can do with the engine. */
export interface EngineHandle {
  /** Where the current worker stands. */
  status: EngineStatus;
  /** What runs (backend, adapter, fallbacks), once the worker started. */
  report: BackendReport | null;
  /** Why the worker failed to start, if it did. */
  error: Error | null;
  /** The backend the current worker was asked for. */
  requested: BackendName | null;
  /** A started worker on `backend`: the current one if it fits, else a new one. */
  ensure(backend: BackendName): Promise<EngineClient>;
  /** A started worker on `backend` that has never trained: the current one if so, else a new one. */
  fresh(backend: BackendName): Promise<EngineClient>;
  /** Calls a method on the current worker once it has started; `trains` marks the worker as used. */
  call<M extends Method>(method: M, params: Api[M]['params'], trains?: boolean): Promise<Api[M]['result']>;
  /** Kills the worker mid-step and reloads the page; nothing is saved on the way out. */
  crash(): void;
  /** Kills the worker mid-step and keeps the page: the next ensure or fresh starts a new one. */
  killWorker(): void;
  /** True once crash() was called: the page is going away, and calls failing on the way out are no news. */
  isCrashing(): boolean;
  /** Receives every batch of events from this worker and the ones after it; returns the unsubscribe function. */
  subscribe(listener: EventsListener): () => void;
}

/** Owns the EngineClient. */
export function useEngine(): EngineHandle {
  const slot = useRef<Slot | null>(null);
  const listeners = useRef(new Set<EventsListener>());
  const crashing = useRef(false);
  const [status, setStatus] = useState<EngineStatus>('none');
  const [report, setReport] = useState<BackendReport | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [requested, setRequested] = useState<BackendName | null>(null);

  const subscribe = useCallback((listener: EventsListener) => {
    const set = listeners.current;
    set.add(listener);
    return () => { set.delete(listener); };
  }, []);

  const start = useCallback((backend: BackendName): Slot => {
    slot.current?.client.terminate();
    const client = new EngineClient();
    // Over a copy: a listener may unsubscribe and subscribe again while it handles a batch (a synchronous render runs effects).
    client.onEvents((events) => { for (const l of [...listeners.current]) l(events); });
    const s: Slot = {
      client, backend, failed: false, used: false,
      ready: client.call('init', { backend, strict: false, assetBase: document.baseURI, ...(UI_THROTTLE ? {} : { eventPostMs: 0 }) }),
    };
    slot.current = s;
    setStatus('starting');
    setReport(null);
    setError(null);
    setRequested(backend);
    s.ready.then(
      (r) => {
        if (slot.current !== s) return;
        setReport(r);
        setStatus('ready');
      },
      (e: unknown) => {
        s.failed = true;
        if (slot.current !== s) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setStatus('failed');
      },
    );
    return s;
  }, []);

  useEffect(() => () => {
    slot.current?.client.terminate();
    slot.current = null;
  }, []);

  const ensure = useCallback(async (backend: BackendName) => {
    const s = slot.current && slot.current.backend === backend && !slot.current.failed ? slot.current : start(backend);
    await s.ready;
    return s.client;
  }, [start]);

  const fresh = useCallback(async (backend: BackendName) => {
    const cur = slot.current;
    const s = cur && cur.backend === backend && !cur.failed && !cur.used ? cur : start(backend);
    await s.ready;
    return s.client;
  }, [start]);

  const call = useCallback(async <M extends Method>(method: M, params: Api[M]['params'], trains = false): Promise<Api[M]['result']> => {
    const s = slot.current;
    if (!s) throw new Error('the engine has not started yet');
    await s.ready;
    if (trains) s.used = true;
    return s.client.call(method, params);
  }, []);

  const crash = useCallback(() => {
    crashing.current = true;
    slot.current?.client.terminate();
    slot.current = null;
    location.reload();
  }, []);

  const killWorker = useCallback(() => {
    slot.current?.client.terminate();
    slot.current = null;
    setStatus('none');
    setReport(null);
  }, []);

  const isCrashing = useCallback(() => crashing.current, []);

  return { status, report, error, requested, ensure, fresh, call, crash, killWorker, isCrashing, subscribe };
}
