/**
 * The engine worker: a thin adapter from protocol requests to the session.
 * The session does not know it runs here; errors leave as SerializedError
 * and are rebuilt as the same subclass by the client.
 */
import { createStrictStore, workerCommitter, type Committer } from '../checkpoint';
import { CRASH_WRITE_HOLD_MS, DB_NAME, MNIST_ASSET_PATH, PROGRESS_POST_MS, TFJS_WASM_PATH } from '../core/constants';
import { serveRpc, type RpcRequest, type RpcScope } from '../core/rpc';
import { initBackend, type BackendReport } from '../engine/backend';
import { matmulRerun } from '../engine/kernels';
import type { Api, Method, Reply, SessionEvent } from '../protocol';
import { Session } from '../session/session';

const scope = self as unknown as RpcScope;
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
  scope.postMessage({ kind: 'events', events: pending } satisfies Reply);
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

async function handle(req: RpcRequest<Api>): Promise<Api[Method]['result']> {
  switch (req.method) {
    case 'init': {
      base = req.params.assetBase;
      eventPostMs = req.params.eventPostMs ?? PROGRESS_POST_MS;
      backend ??= await initBackend(req.params.backend, { wasmPath: new URL(TFJS_WASM_PATH, base).href, strict: req.params.strict, flagOverrides: req.params.flagOverrides });
      // Checkpoints commit in a nested writer worker, off the training thread (src/checkpoint/writer.ts).
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
    case 'setPace':
      requireSession().setPace(req.params);
      return null;
    case 'stepOnce':
      requireSession().stepOnce();
      return null;
    case 'warmUp':
      return requireSession().warmUp(req.params.config);
    case 'findInterrupted':
      return requireSession().findInterrupted();
    case 'listRuns':
      return (await requireSession().listRuns()).map((r) => ({ ...r, referenceParams: undefined }));
    case 'deleteRun':
      await requireSession().deleteRun(req.params.runId);
      return null;
    case 'listCheckpoints':
      return requireSession().listCheckpoints(req.params.runId);
    case 'inspect':
      return requireSession().inspect(req.params.runId, req.params.step);
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

// Pending events go out before each reply, so the page has seen every step of a call when it returns.
serveRpc<Api>(scope, handle, { beforeReply: flush });
