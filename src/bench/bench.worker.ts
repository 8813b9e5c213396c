/**
 * The bench worker: the app's engine (initBackend, Trainer, CheckpointManager
 * over createStrictStore) measured in a real Web Worker. One backend per
 * worker: `init` (or `restore`, which initialises as part of what it times)
 * starts TF.js once, strictly, and the page makes a fresh worker for the next
 * backend.
 */
import { CheckpointManager, createStrictStore, workerCommitter, type Committer } from '../checkpoint';
import { MNIST_ASSET_PATH, STORE_NAME, TFJS_WASM_PATH } from '../constants';
import { initBackend, type BackendReport } from '../engine/backend';
import { stateFingerprint, type BackendName, type RunConfig } from '../engine/config';
import { makeSource } from '../engine/data/pipeline';
import type { Source } from '../engine/data/source';
import { serializeError } from '../engine/errors';
import {
  measureGrowth, measureMatmul, measureOverhead, measureStorage, measureThroughput, prepareRestore, restoreSteps, type BenchContext,
} from './measure';
import { BENCH_DB_NAME, type BenchApi, type BenchMethod, type BenchReply, type BenchRequest } from './protocol';

// The module body runs once every import (TF.js, the engine) has been fetched and evaluated.
const workerReady = performance.timeOrigin + performance.now();
const scope = self as unknown as { postMessage(m: BenchReply): void; onmessage: ((e: MessageEvent<BenchRequest>) => void) | null };
const store = createStrictStore(BENCH_DB_NAME, STORE_NAME);
// The app's engine worker commits large checkpoints in a nested writer worker; the bench measures the same path.
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
  scope.postMessage({ kind: 'progress', text });
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
    new Worker(new URL('../worker/checkpointWriter.worker.ts', import.meta.url), { type: 'module', name: 'resumable-bench-checkpoint-writer' }),
    BENCH_DB_NAME, store,
  );
  return { store, committer, backend, source, progress };
}

async function handle(req: BenchRequest, received: number): Promise<BenchApi[BenchMethod]['result']> {
  switch (req.method) {
    case 'init': {
      const t = performance.now();
      const report = await start(req.params.backend, req.params.assetBase);
      return { report, initMs: performance.now() - t };
    }
    case 'throughput':
      return measureThroughput(context(), req.params.config, req.params.plan);
    case 'overhead': {
      const { config, variants, plan } = req.params;
      return measureOverhead(context(), config, variants, plan);
    }
    case 'storage':
      return measureStorage(context(), req.params.config, req.params.reps);
    case 'prepareRestore':
      return prepareRestore(context(), req.params.config, req.params.runId, req.params.steps);
    case 'restore': {
      if (backend) throw new Error('restore must run in a fresh worker: its backend start-up is part of what it times');
      const report = await start(req.params.backend, req.params.assetBase);
      const marks: Record<string, number> = { workerOrigin: performance.timeOrigin, workerReady, requestReceived: received, backendReady: abs() };
      const { trainer, step, bytes, config } = await restoreSteps(store, req.params.runId, source, (name) => { marks[name] = abs(); });
      try {
        await trainer.trainStep();
        marks.firstStep = abs();
        await trainer.trainStep();
        marks.secondStep = abs();
        // The manager's own restore (read + verify), timed once more as a cross-check of the split.
        const manager = new CheckpointManager({ store, runId: req.params.runId, maxToKeep: 1, saveEverySteps: 0, fingerprint: stateFingerprint(config) });
        const template = await trainer.snapshot();
        const t = performance.now();
        await manager.restore(step, template);
        const managerRestoreMs = performance.now() - t;
        return { report, step, bytes, marks: marks as BenchApi['restore']['result']['marks'], managerRestoreMs };
      } finally {
        trainer.dispose();
      }
    }
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

scope.onmessage = (e: MessageEvent<BenchRequest>) => {
  const req = e.data;
  const received = abs();
  handle(req, received).then(
    (result) => scope.postMessage({ kind: 'result', id: req.id, ok: true, result }),
    (error: unknown) => scope.postMessage({ kind: 'result', id: req.id, ok: false, error: serializeError(error) }),
  );
};
