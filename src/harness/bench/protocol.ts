/**
 * The bench worker's protocol (types only): the page-side bench API
 * (benchApi.ts) calls these methods over src/core/rpc.ts, the bench worker
 * (bench.worker.ts) answers them, and scripts/bench.ts drives the page.
 * `BenchApi` maps each method to its parameters and result, so both sides
 * are checked against one table and the worker's dispatch is exhaustive.
 * Every duration is in milliseconds; every list of durations holds one value
 * per timed repetition, in the order measured.
 */
import type { BackendName, RunConfig } from '../../core/config';
import type { RpcReply } from '../../core/rpc';
import type { BackendReport } from '../../engine/backend';

/** Repetition plan shared by the throughput-like measurements. */
export interface RepPlan {
  /** Timed repetitions (the bench reports their median). */
  reps: number;
  /** Repetitions instead when even `minSteps` steps take longer than `targetRepMs` (slow backend × model); at least 5. */
  slowReps: number;
  /** Untimed steps first (shader compilation, allocation). */
  warmupSteps: number;
  /** Aim for repetitions of about this long. */
  targetRepMs: number;
  /** Fewest steps per repetition. */
  minSteps: number;
  /** Most steps per repetition. */
  maxSteps: number;
}

/** Result of `init`. */
export interface InitResult {
  /** What runs. */
  report: BackendReport;
  /** Time initBackend took. */
  initMs: number;
}

/** Engine steps against a plain TF.js loop on the same model and batch, interleaved. */
export interface ThroughputResult {
  /** Steps per timed repetition (both sides). */
  steps: number;
  /** Engine (Trainer.trainStep) time of each repetition. */
  engineMs: number[];
  /** Plain tf.layers + tf.train.adam time of each repetition. */
  plainMs: number[];
  /** Time the engine's data pipeline alone takes for `steps` batches, per repetition. */
  pipelineMs: number[];
  /** Time of the first (warm-up) engine step: includes kernel compilation. */
  firstStepMs: number;
  /** Parameters of the engine's model (checked against the bench's own count). */
  paramCount: number;
  /** Parameters of the plain model. */
  plainParamCount: number;
  /** Median time of one engine step during calibration (decides the repetition count). */
  calibrationStepMs: number;
  /** Tensors alive after the timed repetitions minus before (0 = no leak). */
  tensorGrowth: number;
}

/** One variant of the training loop in the overhead experiment. */
export interface OverheadVariant {
  /** Checkpoint every this many steps (0 = never). */
  every: number;
  /**
   * Yield a macrotask after every step (engine/yieldTask), as Session.train
   * does. On wasm and cpu `await tensor.data()` settles as a microtask, so
   * without it the loop never lets IndexedDB callbacks or incoming messages run.
   */
  yieldEveryStep: boolean;
}

/** One loop variant's measurements in the overhead experiment. */
export interface OverheadRun extends OverheadVariant {
  /** Time to run the steps (the loop alone), per repetition. */
  loopMs: number[];
  /** Time until every checkpoint of the repetition had committed, per repetition. */
  totalMs: number[];
  /** Awaited snapshot time of each checkpoint (all repetitions). */
  snapshotMs: number[];
  /** Synchronous part of manager.save of each checkpoint (packing; see StorageResult.encodeMs). */
  encodeMs: number[];
  /** From snapshot taken to commit resolved, of each checkpoint. */
  commitMs: number[];
  /** Duration of every training step (all repetitions). */
  stepMs: number[];
  /** Checkpoints saved but not yet committed when the loop's last step finished, per repetition. */
  pendingAtLoopEnd: number[];
  /**
   * Per repetition, the most steps that had run past the newest committed
   * checkpoint at the end of any step: what a crash at the worst moment
   * would lose (the interval plus the commit lag).
   */
  maxStepsAtRisk: number[];
  /** Checkpoints saved per repetition. */
  savesPerRep: number;
}

/** Checkpoint overhead on the training loop. */
export interface OverheadResult {
  /** Steps per repetition (a multiple of the largest interval). */
  steps: number;
  /** One entry per interval, in the order requested. */
  runs: OverheadRun[];
  /** Stored size of one checkpoint. */
  bytes: number;
}

/** Commit of a checkpoint against raw IndexedDB puts of the same bytes. */
export interface StorageResult {
  /** Stored size of one checkpoint (tensor bytes + 8 per number leaf). */
  bytes: number;
  /** Tensor leaves. */
  tensorCount: number;
  /** manager.save(...) until its promise resolves (strict durability), as the app commits: in the writer worker. */
  commitMs: number[];
  /** The same through a manager without a writer worker: the transaction in the calling thread, no hop. */
  commitInThreadMs: number[];
  /** Synchronous part of manager.save: packing the bytes (the checksums are computed with the write). */
  encodeMs: number[];
  /** One put of one ArrayBuffer of the same bytes, strict durability, until the transaction completes. */
  rawStrictMs: number[];
  /** The same put with relaxed durability (context: what strict durability costs). */
  rawRelaxedMs: number[];
  /**
   * A get of a small key awaited, then puts of the bytes and a small object,
   * strict durability: a write that reads its manifest first, which the
   * manager avoids by keeping the manifest in memory.
   */
  rawGetPutMs: number[];
}

/** Absolute times (ms since the epoch, sub-ms precision) of a restore, from page load to the first resumed step. */
export interface RestoreMarks {
  /** Navigation start of the page. */
  pageOrigin: number;
  /** The bench API installed (page scripts loaded and run). */
  apiInstalled: number;
  /** `new Worker(...)` called. */
  workerCreated: number;
  /** The worker's own time origin. */
  workerOrigin: number;
  /** The worker's module (TF.js, engine) evaluated. */
  workerReady: number;
  /** The restore request arrived in the worker. */
  requestReceived: number;
  /** initBackend resolved. */
  backendReady: number;
  /** Run record read and data source loaded. */
  dataReady: number;
  /** Fresh objects built and the template snapshotted. */
  templateReady: number;
  /** Manifest, header and data read from IndexedDB. */
  read: number;
  /** Checksums, lengths, digest and template verified. */
  verified: number;
  /** State written back into the live objects. */
  loaded: number;
  /** First resumed step finished. */
  firstStep: number;
  /** Second resumed step finished. */
  secondStep: number;
}

/** Result of a restore measured from page load. */
export interface RestoreResult {
  /** What ran. */
  report: BackendReport;
  /** Step restored. */
  step: number;
  /** Stored size. */
  bytes: number;
  /** Timeline. */
  marks: RestoreMarks;
  /** restoreCheckpoint (read + verify, the API the app uses) timed again afterwards, as a cross-check. */
  managerRestoreMs: number;
}

/** Snapshot, commit and restore of one model size. */
export interface GrowthPoint {
  /** Hidden widths. */
  hidden: number[];
  /** Parameters. */
  params: number;
  /** Stored size of a checkpoint. */
  bytes: number;
  /** One training step (after warm-up). */
  stepMs: number;
  /** Awaited trainer.snapshot(). */
  snapshotMs: number[];
  /** Synchronous part of manager.save (packing; see StorageResult.encodeMs). */
  encodeMs: number[];
  /** manager.save until committed (includes packing, the checksums and the transaction). */
  commitMs: number[];
  /** Manifest, header and data read from IndexedDB. */
  readMs: number[];
  /** Checksums, digest and template check. */
  verifyMs: number[];
  /** trainer.load (write-back). */
  loadMs: number[];
  /** restoreCheckpoint as a whole (read + verify), the cross-check. */
  managerRestoreMs: number[];
  /** One raw strict-durability put of the same bytes (the storage ceiling at this size). */
  rawPutMs: number[];
  /** Copying the state's bytes once (what packing costs). */
  copyMs: number[];
  /** xxHash32 of the state's bytes once (what checksumming costs). */
  checksumMs: number[];
}

/** One large matmul, repeated. */
export interface MatmulResult {
  /** Side of the square matrices. */
  n: number;
  /** Time of each repetition (matmul + reading the result back). */
  ms: number[];
}

/** Method name → parameters and result. */
export interface BenchApi {
  /** Starts TF.js on exactly this backend (strict: no fallback). */
  init: { params: { backend: BackendName; assetBase: string }; result: InitResult };
  /** Engine vs plain TF.js throughput. */
  throughput: { params: { config: RunConfig; plan: RepPlan }; result: ThroughputResult };
  /** Training throughput with checkpoints every k steps versus none. */
  overhead: { params: { config: RunConfig; variants: OverheadVariant[]; plan: RepPlan }; result: OverheadResult };
  /** Checkpoint commit against raw puts. */
  storage: { params: { config: RunConfig; reps: number }; result: StorageResult };
  /** Trains a few steps and commits a checkpoint plus a run record, for `restore` to read after a reload. */
  prepareRestore: { params: { config: RunConfig; runId: string; steps: number }; result: { step: number; bytes: number } };
  /** Restores the run into fresh objects and takes two steps (needs an uninitialised worker). */
  restore: { params: { backend: BackendName; assetBase: string; runId: string }; result: Omit<RestoreResult, 'marks'> & { marks: Omit<RestoreMarks, 'pageOrigin' | 'apiInstalled' | 'workerCreated'> } };
  /** Snapshot, commit and restore times of one model size. */
  growth: { params: { config: RunConfig; reps: number }; result: GrowthPoint };
  /** One large matmul, for the backend's attainable GFLOP/s. */
  matmul: { params: { n: number; reps: number; warmup: number }; result: MatmulResult };
}

/** Name of a bench method. */
export type BenchMethod = keyof BenchApi;

/** What the bench worker says besides replies: what it is measuring now. */
export type BenchProgress = { kind: 'progress'; text: string };

/** A message from the bench worker to the page: a call's reply, or a progress line. */
export type BenchReply = RpcReply | BenchProgress;
