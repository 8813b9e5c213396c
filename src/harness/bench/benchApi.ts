/**
 * `window.resumableBench`: the page side of the benchmark (`?bench`). Each
 * `start(backend)` makes a fresh bench worker (bench.worker.ts), so
 * every backend gets its own TF.js. Opened as
 * `?bench&restore=<runId>&backend=<name>`, the page starts a restore as soon
 * as it loads and times everything from navigation to the first resumed step.
 */
import { BACKENDS, type BackendName } from '../../core/config';
import { RpcClient } from '../../core/rpc';
import type { BenchApi, BenchMethod, BenchProgress, InitResult, RestoreResult } from './protocol';

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

/** The bench worker behind the typed RPC client, remembering its latest progress line. */
class BenchClient {
  lastProgress = '';
  private readonly rpc = new RpcClient<BenchApi, BenchProgress>(
    new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'resumable-bench' }),
    (msg) => { this.lastProgress = msg.text; },
    'bench worker',
  );

  call<M extends BenchMethod>(method: M, params: BenchApi[M]['params']): Promise<BenchApi[M]['result']> {
    return this.rpc.call(method, params);
  }

  terminate(): void {
    this.rpc.terminate('the bench worker was terminated');
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
