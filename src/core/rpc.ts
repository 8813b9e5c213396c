/**
 * The one request/reply style of every worker in Resumable (the engine, the
 * checkpoint writer, the bench): a table of method → parameters and result,
 * numbered requests, replies that carry a result or a SerializedError, and any
 * other message (events, progress) handed to the owner. Named errors cross
 * intact and are rebuilt as their subclasses on the other side.
 */
import { reviveError, serializeError, type SerializedError } from './errors';

/** A table of method name → parameters and result (an interface such as protocol.ts's Api). */
export type RpcTable<T> = { [K in keyof T]: { params: unknown; result: unknown } };

/** A request for one method of table T. */
export type RpcRequest<T extends RpcTable<T>> = { [M in keyof T]: { id: number; method: M; params: T[M]['params'] } }[keyof T];

/** The reply to one request. */
export type RpcReply =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerializedError };

/** The side of a Worker (or MessagePort) that a client talks to. */
export interface RpcEndpoint {
  /** Posts a request, transferring the listed buffers. */
  postMessage(message: unknown, transfer?: Transferable[]): void;
  /** Receives replies and other messages. */
  onmessage: ((e: MessageEvent) => void) | null;
  /** On a Worker: fires when its script fails to load or throws uncaught. */
  onerror?: ((e: ErrorEvent) => void) | null;
  /** Fires when a message arrives that cannot be deserialized. */
  onmessageerror?: ((e: MessageEvent) => void) | null;
  /** On a Worker: stops it. */
  terminate?: () => void;
}

/** A worker's own scope, as serveRpc needs it. */
export interface RpcScope {
  /** Posts a reply or another message, transferring the listed buffers. */
  postMessage(message: unknown, transfer?: Transferable[]): void;
  /** Receives requests. */
  onmessage: ((e: MessageEvent) => void) | null;
  /** Fires when a request arrives that cannot be deserialized. */
  onmessageerror?: ((e: MessageEvent) => void) | null;
}

/**
 * Typed calls over a worker; `onOther` receives every message that is not a
 * reply. When the worker fails (an uncaught error, a message that cannot be
 * read) every pending call rejects, the worker is terminated, and `broken`
 * says why, so a caller can stop using it.
 */
export class RpcClient<T extends RpcTable<T>, Other extends { kind: string }> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  /** Why the worker can no longer be used, or null while it can. */
  broken: string | null = null;

  constructor(private readonly endpoint: RpcEndpoint, onOther: (msg: Other) => void, private readonly label: string) {
    endpoint.onmessage = (e: MessageEvent<RpcReply | Other>) => {
      const msg = e.data;
      if (msg.kind !== 'result') {
        onOther(msg as Other);
        return;
      }
      const reply = msg as RpcReply;
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.result);
      else w.reject(reviveError(reply.error));
    };
    endpoint.onerror = (e: ErrorEvent) => {
      // Handled here; the default would report it again as uncaught.
      e.preventDefault();
      this.fail(`the ${label} failed: ${e.message || 'unknown error'}${e.filename ? ` at ${e.filename}:${e.lineno}` : ''}`);
    };
    // A reply that cannot be read leaves its call unanswered: without this it would wait forever.
    endpoint.onmessageerror = () => this.fail(`a reply from the ${label} could not be read`);
  }

  private fail(why: string): void {
    this.broken ??= why;
    // A worker in an unknown state could still act on a request it holds: stop it.
    this.endpoint.terminate?.();
    for (const w of this.waiting.values()) w.reject(new Error(why));
    this.waiting.clear();
  }

  /** Calls a worker method, transferring the listed buffers. */
  call<M extends keyof T & string>(method: M, params: T[M]['params'], transfer: Transferable[] = []): Promise<T[M]['result']> {
    if (this.broken !== null) return Promise.reject(new Error(this.broken));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.endpoint.postMessage({ id, method, params }, transfer);
      } catch (e) {
        // Not sent (a value that cannot be cloned): nothing will answer this id.
        this.waiting.delete(id);
        reject(e);
      }
    });
  }

  /** Kills the worker at once; pending calls fail with `reason`. */
  terminate(reason = `the ${this.label} was terminated`): void {
    this.fail(reason);
  }
}

/** How serveRpc answers. */
export interface ServeOptions {
  /** Runs before each reply is posted (the engine flushes its pending events, so they arrive first). */
  beforeReply?: () => void;
  /** Buffers of a result to transfer rather than copy. */
  transferOf?: (result: unknown) => Transferable[];
}

/** A worker's request loop: each request goes to `handle`, and its result or error goes back as a reply. */
export function serveRpc<T extends RpcTable<T>>(scope: RpcScope, handle: (req: RpcRequest<T>) => Promise<unknown> | unknown, options: ServeOptions = {}): void {
  // A request that cannot be read has no id to answer: fail loudly, which reaches the client as the Worker's error event.
  scope.onmessageerror = () => { throw new Error('a request could not be read'); };
  scope.onmessage = (e: MessageEvent<RpcRequest<T>>) => {
    const req = e.data;
    Promise.resolve().then(() => handle(req)).then(
      (result) => {
        options.beforeReply?.();
        scope.postMessage({ kind: 'result', id: req.id, ok: true, result } satisfies RpcReply, options.transferOf?.(result) ?? []);
      },
      (error: unknown) => {
        options.beforeReply?.();
        scope.postMessage({ kind: 'result', id: req.id, ok: false, error: serializeError(error) } satisfies RpcReply);
      },
    );
  };
}
