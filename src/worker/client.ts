/**
 * The page side of the worker protocol: typed calls that return promises,
 * events to subscribers, and errors rebuilt as their named subclasses.
 */
import { reviveError } from '../engine/errors';
import type { SessionEvent } from '../engine/session';
import type { Api, Method, Reply, Request } from '../protocol';

/** Receives batches of engine events. */
export type EventListener = (events: SessionEvent[]) => void;

/** A typed handle on the training worker. */
export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<EventListener>();

  constructor(worker?: Worker) {
    this.worker = worker ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'resumable-engine' });
    this.worker.onmessage = (e: MessageEvent<Reply>) => this.receive(e.data);
    this.worker.onerror = (e: ErrorEvent) => this.failAll(new Error(`the training worker crashed: ${e.message || 'unknown error'}`));
  }

  private receive(msg: Reply): void {
    if (msg.kind === 'events') {
      for (const l of this.listeners) l(msg.events);
      return;
    }
    const w = this.waiting.get(msg.id);
    if (!w) return;
    this.waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.result);
    else w.reject(reviveError(msg.error));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Calls a worker method. */
  call<M extends Method>(method: M, params: Api[M]['params']): Promise<Api[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, params } as Request);
    });
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvents(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kills the worker at once, mid-step: nothing is flushed or saved on the way out. */
  terminate(): void {
    this.worker.terminate();
    this.failAll(new Error('the training worker was terminated'));
  }
}
