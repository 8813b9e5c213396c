/**
 * The engine worker's protocol: request and reply types, and nothing else
 * (types only). `Api` maps each method to its parameters and result, so both
 * sides are checked against one table and the worker's switch is exhaustive.
 * It is also the page's window on the layers below: the UI imports the types
 * it shows from here and from src/core, never from the engine, the
 * checkpoint layer or the session.
 */
import type { BackendName, RunConfig } from './core/config';
import type { Pitfall } from './core/config';
import type { RpcReply } from './core/rpc';
import type { BackendReport } from './engine/backend';
import type { RerunReport } from './engine/kernels';
import type { BoundaryVisual, DigitsVisual, Visual } from './engine/visual';
import type { CheckpointInfo, CheckpointInspection, TensorInfo } from './checkpoint';
import type { RunRecord, RunStatus, RunVerdict } from './session/runRecord';
import type { Pace } from './session/pace';
import type { SkippedCheckpoint } from './session/runRecord';
import type { ExperimentResult, Phase, PhaseEnd, ResumeResult, SessionEvent } from './session/session';
import type { TensorDiff, Verdict } from './session/verdict';

export type {
  BackendReport, BoundaryVisual, CheckpointInfo, Pace, SkippedCheckpoint, CheckpointInspection, DigitsVisual, ExperimentResult, Phase, PhaseEnd, RerunReport,
  ResumeResult, RunRecord, RunStatus, RunVerdict, SessionEvent, TensorDiff, TensorInfo, Verdict, Visual,
};

/** Storage usage as the browser reports it. */
export interface StorageReport {
  /** Bytes used by this origin. */
  usageBytes: number;
  /** Bytes this origin may use. */
  quotaBytes: number;
}

/** An interrupted run found in storage after a reload. */
export interface InterruptedRun {
  /** The run's record (config, reference curve, crash point). */
  record: RunRecord;
  /** Its committed checkpoints, oldest first. */
  checkpoints: CheckpointInfo[];
}

/** Method name → parameters and result. */
export interface Api {
  /** Starts TF.js on the requested backend (with fallback unless strict); step events are coalesced for `eventPostMs` (default PROGRESS_POST_MS). */
  init: { params: { backend: BackendName; strict: boolean; assetBase: string; flagOverrides?: Record<string, number | boolean>; eventPostMs?: number }; result: BackendReport };
  /** Phase 2 (checkpointed) with phase 1 (the reference) beside it, optionally cut short after `crashAtStep`. */
  runExperiment: { params: { runId: string; config: RunConfig; crashAtStep?: number; visualEveryMs?: number; referenceToEnd?: boolean }; result: ExperimentResult };
  /** Phase 3: restore the latest (or a given) checkpoint into fresh objects and finish the run. */
  resume: { params: { runId: string; pitfall?: Pitfall; step?: number; visualEveryMs?: number }; result: ResumeResult };
  /** Arms the crash-during-write demo: the next checkpoint transaction stays open and announces itself ('checkpoint-write-open'). */
  armCrashDuringWrite: { params: Record<string, never>; result: null };
  /** One checkpoint as a portable file (bytes). */
  exportCheckpoint: { params: { runId: string; step: number }; result: Uint8Array };
  /** Imports a checkpoint file into a run; refused with a named error unless it fits. Returns its step. */
  importCheckpoint: { params: { runId: string; bytes: Uint8Array }; result: number };
  /** Stops the running phase after its current step. */
  stop: { params: Record<string, never>; result: null };
  /** Sets the pace of runs (play, pause, steps per second); applies at once. */
  setPace: { params: Pace; result: null };
  /** While paused, runs one more step. */
  stepOnce: { params: Record<string, never>; result: null };
  /** Compiles the kernels of a config's model and loads its data before a run (reports 'warmup' events). */
  warmUp: { params: { config: RunConfig }; result: { ms: number } };
  /** The newest interrupted run with a checkpoint, or null. */
  findInterrupted: { params: Record<string, never>; result: InterruptedRun | null };
  /** Every stored run, newest first (without reference parameters). */
  listRuns: { params: Record<string, never>; result: RunRecord[] };
  /** Deletes one run and its checkpoints. */
  deleteRun: { params: { runId: string }; result: null };
  /** The checkpoints of a run. */
  listCheckpoints: { params: { runId: string }; result: CheckpointInfo[] };
  /** Per-tensor description of one checkpoint (path, shape, dtype, bytes, checksum) plus its number leaves. */
  inspect: { params: { runId: string; step: number }; result: CheckpointInspection };
  /** Runs one matmul `repeats` times and counts distinct results (kernel determinism check). */
  matmulRerun: { params: { m: number; k: number; n: number; repeats: number; pinned: boolean }; result: RerunReport };
  /** Origin storage usage and quota. */
  storage: { params: Record<string, never>; result: StorageReport };
}

/** Name of an API method. */
export type Method = keyof Api;

/** A message from the engine worker to the page: a call's reply, or a batch of session events. */
export type Reply = RpcReply | { kind: 'events'; events: SessionEvent[] };
