/**
 * The page side of the engine worker: typed calls that return promises,
 * events to subscribers, and errors rebuilt as their named subclasses.
 */
import { RpcClient } from '../core/rpc';
import type { Api, Method, Reply, SessionEvent } from '../protocol';

/** Receives batches of engine events. */
export type EventListener = (events: SessionEvent[]) => void;

/** A typed handle on the training worker. */
export class EngineClient {
  private readonly rpc: RpcClient<Api, Extract<Reply, { kind: 'events' }>>;
  private readonly listeners = new Set<EventListener>();

  constructor(worker?: Worker) {
    const w = worker ?? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'resumable-engine' });
    this.rpc = new RpcClient(w, (msg) => { for (const l of this.listeners) l(msg.events); }, 'training worker');
  }

  /** Calls a worker method. */
  call<M extends Method>(method: M, params: Api[M]['params']): Promise<Api[M]['result']> {
    return this.rpc.call(method, params);
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvents(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kills the worker at once, mid-step: nothing is flushed or saved on the way out. */
  terminate(): void {
    this.rpc.terminate('the training worker was terminated');
  }
}
