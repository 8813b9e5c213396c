/**
 * The bench worker: the app's engine (initBackend, Trainer, CheckpointManager
 * over createStrictStore) measured in a real Web Worker, answering BenchApi
 * over src/core/rpc.ts. One backend per worker: `init` (or `restore`, which
 * initialises as part of what it times) starts TF.js once, strictly, and the
 * page makes a fresh worker for the next backend.
 */
import { createStrictStore, workerCommitter, type Committer } from '../../checkpoint';
import type { BackendName, RunConfig } from '../../core/config';
import { MNIST_ASSET_PATH, STORE_NAME, TFJS_WASM_PATH } from '../../core/constants';
import { serveRpc, type RpcRequest, type RpcScope } from '../../core/rpc';
import { initBackend, type BackendReport } from '../../engine/backend';
import { makeSource } from '../../engine/data/pipeline';
import type { Source } from '../../engine/data/source';
import { BENCH_DB_NAME, type BenchContext } from './context';
import { measureGrowth } from './measure/growth';
import { measureMatmul } from './measure/matmul';
import { measureOverhead } from './measure/overhead';
import { prepareRestore, restoreAndStep } from './measure/restore';
import { measureStorage } from './measure/storage';
import { measureThroughput } from './measure/throughput';
import type { BenchApi, BenchMethod, BenchProgress, RestoreMarks } from './protocol';

// The module body runs once every import (TF.js, the engine) has been fetched and evaluated.
const workerReady = performance.timeOrigin + performance.now();
const scope = self as unknown as RpcScope;
const store = createStrictStore(BENCH_DB_NAME, STORE_NAME);
// The app's engine worker commits checkpoints in a nested writer worker; the bench measures the same path.
// Made on first use, so a restore page's worker start does not include it.
let committer: Committer | null = null;
let base = '';
let backend: BackendReport | null = null;
const sources = new Map<string, Source>();

const abs = (): number => performance.timeOrigin + performance.now();

async function source(config: RunConfig): Promise<Source> {
  const key = config.dataset === 'digits' ? 'digits' : `${config.dataset}:${config.samples}:${config.seed}`;
  let s = sources.get(key);
  if (!s) {
    let bytes: Uint8Array | undefined;
    if (config.dataset === 'digits') {
      const res = await fetch(new URL(MNIST_ASSET_PATH, base));
      if (!res.ok) throw new Error(`could not load the MNIST asset (${res.status}); build the app first`);
      bytes = new Uint8Array(await res.arrayBuffer());
    }
    s = makeSource(config, bytes);
    sources.set(key, s);
  }
  return s;
}

function progress(text: string): void {
  scope.postMessage({ kind: 'progress', text } satisfies BenchProgress);
}

async function start(name: BackendName, assetBase: string): Promise<BackendReport> {
  if (backend) {
    if (backend.backend !== name) throw new Error(`this bench worker already runs ${backend.backend}; use a fresh worker per backend`);
    return backend;
  }
  base = assetBase;
  backend = await initBackend(name, { wasmPath: new URL(TFJS_WASM_PATH, base).href, strict: true });
  return backend;
}

function context(): BenchContext {
  if (!backend) throw new Error('the bench worker is not initialised: call init first');
  committer ??= workerCommitter(
    new Worker(new URL('../../worker/checkpointWriter.worker.ts', import.meta.url), { type: 'module', name: 'resumable-bench-checkpoint-writer' }),
    BENCH_DB_NAME, store,
  );
  return { store, committer, backend, source, progress };
}

/** `restore`: backend start-up, then restoreAndStep, with every boundary as an absolute time. */
async function restoreAtLoad(params: BenchApi['restore']['params'], received: number): Promise<BenchApi['restore']['result']> {
  if (backend) throw new Error('restore must run in a fresh worker: its backend start-up is part of what it times');
  const report = await start(params.backend, params.assetBase);
  const marks: Partial<RestoreMarks> = { workerOrigin: performance.timeOrigin, workerReady, requestReceived: received, backendReady: abs() };
  const { step, bytes, managerRestoreMs } = await restoreAndStep(store, params.runId, source, (phase) => { marks[phase] = abs(); });
  return { report, step, bytes, marks: marks as BenchApi['restore']['result']['marks'], managerRestoreMs };
}

async function handle(req: RpcRequest<BenchApi>, received: number): Promise<BenchApi[BenchMethod]['result']> {
  switch (req.method) {
    case 'init': {
      const t = performance.now();
      const report = await start(req.params.backend, req.params.assetBase);
      return { report, initMs: performance.now() - t };
    }
    case 'throughput':
      return measureThroughput(context(), req.params.config, req.params.plan);
    case 'overhead':
      return measureOverhead(context(), req.params.config, req.params.variants, req.params.plan);
    case 'storage':
      return measureStorage(context(), req.params.config, req.params.reps);
    case 'prepareRestore':
      return prepareRestore(context(), req.params.config, req.params.runId, req.params.steps);
    case 'restore':
      return restoreAtLoad(req.params, received);
    case 'growth':
      return measureGrowth(context(), req.params.config, req.params.reps);
    case 'matmul':
      return measureMatmul(context(), req.params.n, req.params.reps, req.params.warmup);
    default: {
      const unknown: never = req;
      throw new Error(`unknown bench method ${(unknown as { method: string }).method}`);
    }
  }
}

// Restore reports when its request arrived: taken as serveRpc hands it over, a microtask after the message.
serveRpc<BenchApi>(scope, (req) => handle(req, abs()));
