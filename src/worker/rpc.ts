/**
 * The page side of a request/reply protocol with a worker: numbered calls
 * that return promises, named errors rebuilt as their subclasses, and every
 * other message handed to the owner. The engine client and the bench client
 * both speak through it.
 */
import { reviveError, type SerializedError } from '../engine/errors';

/** A table of method name → parameters and result (an interface such as protocol.ts's Api). */
export type RpcTable<T> = { [K in keyof T]: { params: unknown; result: unknown } };

/** The reply to one call. */
export type RpcResult =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerializedError };

/** Typed calls over a worker; `onOther` receives every message that is not a call's reply. */
export class RpcClient<T extends RpcTable<T>, Other extends { kind: string }> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly worker: Worker, onOther: (msg: Other) => void, label: string) {
    worker.onmessage = (e: MessageEvent<RpcResult | Other>) => {
      const msg = e.data;
      if (msg.kind !== 'result') {
        onOther(msg as Other);
        return;
      }
      const reply = msg as RpcResult;
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.result);
      else w.reject(reviveError(reply.error));
    };
    worker.onerror = (e: ErrorEvent) => this.failAll(new Error(`the ${label} crashed: ${e.message || 'unknown error'}${e.filename ? ` at ${e.filename}:${e.lineno}` : ''}`));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Calls a worker method. */
  call<M extends keyof T & string>(method: M, params: T[M]['params']): Promise<T[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, params });
    });
  }

  /** Kills the worker at once; pending calls fail with `reason`. */
  terminate(reason: string): void {
    this.worker.terminate();
    this.failAll(new Error(reason));
  }
}
