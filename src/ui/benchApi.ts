/**
 * `window.resumableBench`: the page side of the benchmark (`?bench`). Each
 * `start(backend)` makes a fresh bench worker (src/bench/bench.worker.ts), so
 * every backend gets its own TF.js. Opened as
 * `?bench&restore=<runId>&backend=<name>`, the page starts a restore as soon
 * as it loads and times everything from navigation to the first resumed step.
 */
import type { BenchApi, BenchMethod, BenchReply, BenchRequest, InitResult, RestoreResult } from '../bench/protocol';
import { BACKENDS, type BackendName } from '../engine/config';
import { reviveError } from '../engine/errors';

/** The bench API's surface. */
export interface BenchPageApi {
  /** Terminates any bench worker, starts a fresh one on exactly `backend` (no fallback). */
  start(backend: BackendName): Promise<InitResult>;
  /** Calls a method of the current bench worker. */
  call<M extends BenchMethod>(method: M, params: BenchApi[M]['params']): Promise<BenchApi[M]['result']>;
  /** The worker's latest progress line ('' when none). */
  progress(): string;
  /** Terminates the bench worker. */
  stop(): void;
  /** The restore started at page load (`?restore=`), or null. */
  restoreOnLoad: Promise<RestoreResult> | null;
}

declare global {
  interface Window {
    /** Bench API, installed by `installBenchApi` on `?bench`. */
    resumableBench?: BenchPageApi;
  }
}

const abs = (): number => performance.timeOrigin + performance.now();

class BenchClient {
  private readonly worker = new Worker(new URL('../bench/bench.worker.ts', import.meta.url), { type: 'module', name: 'resumable-bench' });
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  lastProgress = '';

  constructor() {
    this.worker.onmessage = (e: MessageEvent<BenchReply>) => {
      const msg = e.data;
      if (msg.kind === 'progress') {
        this.lastProgress = msg.text;
        return;
      }
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg.result);
      else w.reject(reviveError(msg.error));
    };
    this.worker.onerror = (e: ErrorEvent) => this.failAll(new Error(`the bench worker crashed: ${e.message || 'unknown error'}${e.filename ? ` at ${e.filename}:${e.lineno}` : ''}`));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  call<M extends BenchMethod>(method: M, params: BenchApi[M]['params']): Promise<BenchApi[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, params } as BenchRequest);
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new Error('the bench worker was terminated'));
  }
}

/** Installs `window.resumableBench` and returns it. */
export function installBenchApi(): BenchPageApi {
  const apiInstalled = abs();
  let client: BenchClient | null = null;
  const fresh = (): BenchClient => {
    client?.terminate();
    client = new BenchClient();
    return client;
  };
  const current = (): BenchClient => {
    if (!client) throw new Error('no bench worker: call start(backend) first');
    return client;
  };

  let restoreOnLoad: Promise<RestoreResult> | null = null;
  const params = new URLSearchParams(location.search);
  const runId = params.get('restore');
  const backend = params.get('backend') as BackendName | null;
  if (runId && backend && BACKENDS.includes(backend)) {
    const workerCreated = abs();
    restoreOnLoad = fresh().call('restore', { backend, assetBase: document.baseURI, runId })
      .then((r) => ({ ...r, marks: { ...r.marks, pageOrigin: performance.timeOrigin, apiInstalled, workerCreated } }));
    // Whoever reads restoreOnLoad sees a failure; nobody reading it is no unhandled rejection.
    restoreOnLoad.catch(() => undefined);
  }

  const api: BenchPageApi = {
    start: (b) => fresh().call('init', { backend: b, assetBase: document.baseURI }),
    call: (method, p) => current().call(method, p),
    progress: () => client?.lastProgress ?? '',
    stop: () => {
      client?.terminate();
      client = null;
    },
    restoreOnLoad,
  };
  window.resumableBench = api;
  return api;
}
