/**
 * What every measurement in the bench worker shares: the worker's store,
 * writer worker and backend (BenchContext), and the small timing helpers the
 * measurements have in common. Each measurement (measure/*.ts) times what it
 * is asked to and returns raw durations; statistics and verdicts are the
 * driver's business (scripts/bench/).
 */
import type { UseStore } from 'idb-keyval';
import type { Committer, SaveMeta } from '../../checkpoint';
import type { RunConfig } from '../../core/config';
import type { BackendReport } from '../../engine/backend';
import type { Source } from '../../engine/data/source';
import type { Trainer } from '../../engine/trainer';
import { parameterCount } from './flops';
import { shapeOf } from './models';

/** IndexedDB database the bench writes to (never the app's own). */
export const BENCH_DB_NAME = 'resumable-bench';

/** What a measurement needs from the worker. */
export interface BenchContext {
  /** Strict-durability store on the bench's own database. */
  store: UseStore;
  /** The writer worker checkpoints commit in, as in the app (src/checkpoint/writer.ts). */
  committer: Committer;
  /** The backend that runs. */
  backend: BackendReport;
  /** The data a config trains on (cached). */
  source(config: RunConfig): Promise<Source>;
  /** Reports what is being measured now. */
  progress(text: string): void;
}

/** Milliseconds since the worker started, sub-ms precision. */
export const now = (): number => performance.now();

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Time of `n` sequential awaited calls of `step`. */
export async function timeSteps(step: () => Promise<unknown>, n: number): Promise<number> {
  const t = now();
  for (let i = 0; i < n; i++) await step();
  return now() - t;
}

/** What Session.train records with every checkpoint, so a bench save packs what the app's does. */
export function saveMeta(trainer: Trainer, backend: BackendReport): SaveMeta {
  return { backend: backend.backend, adapter: backend.adapter, losses: trainer.losses.slice(), savedAtMs: Date.now() };
}

/** Refuses to measure when flops.ts no longer counts the engine's parameters: its FLOP figures would be wrong. */
export function checkParams(config: RunConfig, trainer: Trainer): void {
  const expected = parameterCount(shapeOf(config));
  if (trainer.model.parameterCount !== expected) {
    throw new Error(`bench FLOP model is stale: engine has ${trainer.model.parameterCount} parameters, src/harness/bench/flops.ts counts ${expected}`);
  }
}
