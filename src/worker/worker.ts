/**
 * The worker entry: a thin adapter from protocol messages to the engine.
 * Engine classes do not know they run here; errors leave as SerializedError
 * and are rebuilt as the same subclass by the client.
 */
import { createStrictStore, workerCommitter, type Committer } from '../checkpoint';
import { CRASH_WRITE_HOLD_MS, DB_NAME, MNIST_ASSET_PATH, PROGRESS_POST_MS, TFJS_WASM_PATH } from '../constants';
import { initBackend, type BackendReport } from '../engine/backend';
import { serializeError } from '../engine/errors';
import { matmulRerun } from '../engine/kernels';
import { Session, type SessionEvent } from '../engine/session';
import { CheckpointManager } from '../checkpoint';
import type { Api, Method, Reply, Request } from '../protocol';

const scope = self as unknown as { postMessage(m: Reply): void; onmessage: ((e: MessageEvent<Request>) => void) | null };
const store = createStrictStore();
let committer: Committer | null = null;
// The page's base URL, where the app's static assets (MNIST, .wasm) live.
let base = '';
let backend: BackendReport | null = null;
let session: Session | null = null;

// Steps are coalesced so a fast backend does not flood the page; checkpoint
// and phase events flush at once because the UI marks them.
let pending: SessionEvent[] = [];
let lastFlushMs = 0;
let eventPostMs = PROGRESS_POST_MS;
let flushTimer: ReturnType<typeof setTimeout> | null = null;
function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  if (pending.length === 0) return;
  scope.postMessage({ kind: 'events', events: pending });
  pending = [];
  lastFlushMs = performance.now();
}
function emit(e: SessionEvent): void {
  pending.push(e);
  if (e.type !== 'step' || performance.now() - lastFlushMs >= eventPostMs) flush();
  else flushTimer ??= setTimeout(flush, eventPostMs);
}

async function loadMnist(): Promise<Uint8Array> {
  const res = await fetch(new URL(MNIST_ASSET_PATH, base));
  if (!res.ok) throw new Error(`could not load the MNIST asset (${res.status} ${res.statusText}); run the build first`);
  return new Uint8Array(await res.arrayBuffer());
}

function requireSession(): Session {
  if (!session) throw new Error('the engine is not initialised: call init first');
  return session;
}

function managerFor(runId: string): CheckpointManager {
  // Listing and inspecting read the manifest and payloads as stored; retention settings are irrelevant.
  return new CheckpointManager({ store, runId, maxToKeep: 1, saveEverySteps: 0, fingerprint: {} });
}

async function handle(req: Request): Promise<Api[Method]['result']> {
  switch (req.method) {
    case 'init': {
      base = req.params.assetBase;
      eventPostMs = req.params.eventPostMs ?? PROGRESS_POST_MS;
      backend ??= await initBackend(req.params.backend, { wasmPath: new URL(TFJS_WASM_PATH, base).href, strict: req.params.strict, flagOverrides: req.params.flagOverrides });
      // Large checkpoints commit in a nested writer worker, off the training thread (src/checkpoint/writer.ts).
      committer ??= workerCommitter(
        new Worker(new URL('./checkpointWriter.worker.ts', import.meta.url), { type: 'module', name: 'resumable-checkpoint-writer' }),
        DB_NAME, store,
      );
      session ??= new Session({ store, loadMnist, backend, emit, committer });
      return backend;
    }
    case 'runExperiment': {
      const { runId, config, ...options } = req.params;
      return requireSession().runExperiment(runId, config, options);
    }
    case 'resume': {
      const { runId, ...options } = req.params;
      return requireSession().resume(runId, options);
    }
    case 'armCrashDuringWrite':
      requireSession().armCrashDuringWrite(CRASH_WRITE_HOLD_MS);
      return null;
    case 'exportCheckpoint':
      return requireSession().exportCheckpoint(req.params.runId, req.params.step);
    case 'importCheckpoint':
      return requireSession().importCheckpoint(req.params.runId, req.params.bytes);
    case 'stop':
      requireSession().stop();
      return null;
    case 'findInterrupted':
      return requireSession().findInterrupted();
    case 'listRuns':
      return (await requireSession().listRuns()).map((r) => ({ ...r, referenceParams: undefined }));
    case 'deleteRun':
      await requireSession().deleteRun(req.params.runId);
      return null;
    case 'listCheckpoints':
      return managerFor(req.params.runId).list();
    case 'inspect':
      return managerFor(req.params.runId).inspect(req.params.step);
    case 'matmulRerun': {
      requireSession();
      const { m, k, n, repeats, pinned } = req.params;
      return matmulRerun(m, k, n, repeats, pinned);
    }
    case 'storage': {
      const est = await navigator.storage.estimate();
      return { usageBytes: est.usage ?? 0, quotaBytes: est.quota ?? 0 };
    }
    default: {
      const unknown: never = req;
      throw new Error(`unknown method ${(unknown as { method: string }).method}`);
    }
  }
}

scope.onmessage = (e: MessageEvent<Request>) => {
  const req = e.data;
  handle(req).then(
    (result) => { flush(); scope.postMessage({ kind: 'result', id: req.id, ok: true, result }); },
    (error: unknown) => { flush(); scope.postMessage({ kind: 'result', id: req.id, ok: false, error: serializeError(error) }); },
  );
};
