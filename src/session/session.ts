/**
 * A session runs the three-phase experiment of the resumable-training guide
 * on top of the trainer and the checkpoint manager: reference run, the same
 * run with checkpoints (which may be interrupted), and resume into fresh
 * objects. It knows nothing of workers or screens: the worker adapts it to
 * messages, Node tests drive it directly.
 */
import {
  assertFitsTemplate, CheckpointManager, decodeCheckpointFile, deleteRun, exportCheckpoint, inspectCheckpoint, listCheckpoints, restoreCheckpoint,
  type CheckpointInfo, type CheckpointInspection, type Committer, type SaveMeta, type Store,
} from '../checkpoint';
import { assertValidConfig, stateFingerprint, type Pitfall, type RunConfig } from '../core/config';
import { VISUAL_GAP_TO_COST_RATIO } from '../core/constants';
import { CheckpointNotFoundError, InvalidInputError, serializeError, type SerializedError } from '../core/errors';
import type { Tree } from '../core/tree';
import type { BackendReport } from '../engine/backend';
import { makeSource } from '../engine/data/pipeline';
import type { Source } from '../engine/data/source';
import { STATE_PARTS, Trainer, type StatePart } from '../engine/trainer';
import { visualize, type Visual } from '../engine/visual';
import { yieldTask } from '../engine/yieldTask';
import { replaceInto, savedParts, templateConfig, usesTfjsAdam } from './pitfalls';
import { findInterruptedRun, getRunRecord, listRunRecords, putRunRecord, type RunRecord } from './runRecord';
import { computeVerdict, type Verdict } from './verdict';

/** Which phase of the experiment a step belongs to. */
export type Phase = 'reference' | 'checkpointed' | 'resumed';

/** Something a session reports while it works. */
export type SessionEvent =
  | { type: 'step'; runId: string; phase: Phase; step: number; totalSteps: number; loss: number }
  | { type: 'checkpoint'; runId: string; info: CheckpointInfo; snapshotMs: number; commitMs: number }
  | { type: 'checkpoint-error'; runId: string; step: number; error: SerializedError }
  | { type: 'phase'; runId: string; phase: Phase; fromStep: number; totalSteps: number }
  | { type: 'checkpoint-write-open'; runId: string; step: number }
  | ({ type: 'visual'; runId: string; phase: Phase; step: number } & Visual);

/** What a session needs from its host. */
export interface SessionDeps {
  /** The IndexedDB store (strict durability) holding runs and checkpoints. */
  store: Store;
  /** Fetches the MNIST asset bytes (only called for the digits dataset). */
  loadMnist: () => Promise<Uint8Array>;
  /** The backend that runs, recorded in every checkpoint. */
  backend: BackendReport;
  /** Receives progress events. */
  emit: (e: SessionEvent) => void;
  /** Where checkpoints commit (a writer worker); without it every commit runs in this thread. */
  committer?: Committer;
}

/** How a phase ended. */
export type PhaseEnd = 'finished' | 'halted' | 'stopped';

/** Result of running the reference and checkpointed phases. */
export interface ExperimentResult {
  /** Run id. */
  runId: string;
  /** Reference losses, one per step. */
  referenceLosses: number[];
  /** Losses of the checkpointed phase up to where it ended. */
  checkpointedLosses: number[];
  /** How the checkpointed phase ended ('halted' = stopped at crashAtStep, like a crash point). */
  end: PhaseEnd;
  /** Steps with a committed checkpoint, oldest first. */
  checkpoints: number[];
  /** Distance of the checkpointed phase to the reference, when it ran to its last step without a crash. */
  verdict: Verdict | null;
}

/** Result of a resume. */
export interface ResumeResult {
  /** Run id. */
  runId: string;
  /** Step of the checkpoint restored. */
  restoredFrom: number;
  /** Steps that had run past that checkpoint before the crash and were redone. */
  stepsLost: number;
  /** The full resumed curve: checkpointed losses up to the restore step, then the resumed ones. */
  resumedLosses: number[];
  /** Reference losses, for the overlay. */
  referenceLosses: number[];
  /** How the resumed phase ended. */
  end: PhaseEnd;
  /** Distance to the reference (when the run reached its last step). */
  verdict: Verdict | null;
  /**
   * Set when the checkpoint was computed on another backend than the one
   * resuming it: allowed, but other kernels round differently, so the
   * result is not expected to be bit-exact.
   */
  crossBackend: { checkpoint: string; current: string } | null;
}

/** Options of an experiment. */
export interface ExperimentOptions {
  /** Stop the checkpointed phase after this step (once its checkpoints committed): the crash point. */
  crashAtStep?: number;
  /** Emit a 'visual' event (decision boundary or digit predictions) at most this often; 0 = never. */
  visualEveryMs?: number;
}

/** Options of a resume. */
export interface ResumeOptions {
  /** Resume with this pitfall instead of the run's own. */
  pitfall?: Pitfall;
  /** Restore this checkpoint instead of the newest. */
  step?: number;
  /** As in ExperimentOptions. */
  visualEveryMs?: number;
}

/** Runs experiments and resumes against one store and one backend. */
export class Session {
  private readonly deps: SessionDeps;
  private readonly sources = new Map<string, Source>();
  private stopRequested = false;
  private crashArmed: { maxMs: number } | null = null;
  private visualEveryMs = 0;
  private visualGapMs = 0;
  private lastVisualMs = -Infinity;

  constructor(deps: SessionDeps) {
    this.deps = deps;
  }

  /** Asks the running phase to stop after its current step. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Arms the "crash during the next checkpoint write" demo: the next
   * checkpoint's transaction writes everything, emits
   * 'checkpoint-write-open', and stays open up to `maxMs` so the host can
   * kill the worker mid-transaction.
   */
  armCrashDuringWrite(maxMs: number): void {
    this.crashArmed = { maxMs };
  }

  private async source(config: RunConfig): Promise<Source> {
    const key = config.dataset === 'digits' ? 'digits' : `${config.dataset}:${config.samples}:${config.seed}`;
    let s = this.sources.get(key);
    if (!s) {
      s = makeSource(config, config.dataset === 'digits' ? await this.deps.loadMnist() : undefined);
      this.sources.set(key, s);
    }
    return s;
  }

  private async newTrainer(config: RunConfig): Promise<Trainer> {
    return Trainer.create(config, await this.source(config), { useTfjsAdam: usesTfjsAdam(config) });
  }

  private async train(runId: string, phase: Phase, trainer: Trainer, toStep: number,
    manager: CheckpointManager | null, parts: readonly StatePart[], crashAtStep?: number): Promise<PhaseEnd> {
    const { emit, backend } = this.deps;
    emit({ type: 'phase', runId, phase, fromStep: trainer.step, totalSteps: toStep });
    let firstError: unknown = null;
    while (trainer.step < toStep) {
      if (this.stopRequested) return 'stopped';
      const loss = await trainer.trainStep();
      const step = trainer.step;
      emit({ type: 'step', runId, phase, step, totalSteps: toStep, loss });
      if (this.visualEveryMs > 0 && (performance.now() - this.lastVisualMs >= this.visualGapMs || step === toStep)) {
        const startMs = performance.now();
        emit({ type: 'visual', runId, phase, step, ...(await visualize(trainer)) });
        // The gap runs from the end of a visual and grows with its cost, so a slow
        // visual (software WebGPU, a CNN on the CPU) cannot starve training.
        this.lastVisualMs = performance.now();
        this.visualGapMs = Math.max(this.visualEveryMs, VISUAL_GAP_TO_COST_RATIO * (this.lastVisualMs - startMs));
      }
      if (manager?.shouldSave(step)) {
        if (this.crashArmed) {
          manager.holdNextWriteOpen((s) => emit({ type: 'checkpoint-write-open', runId, step: s }), this.crashArmed.maxMs);
          this.crashArmed = null;
        }
        // The loop waits for the snapshot of step k only; IndexedDB commits in the background.
        const t0 = performance.now();
        const state = await trainer.snapshot(parts);
        const t1 = performance.now();
        // Step, run id and fingerprint come from the manager itself.
        const meta: SaveMeta = { backend: backend.backend, adapter: backend.adapter, losses: trainer.losses.slice(), savedAtMs: Date.now() };
        manager.save(step, state, meta).then(
          (info) => emit({ type: 'checkpoint', runId, info, snapshotMs: t1 - t0, commitMs: performance.now() - t1 }),
          (error: unknown) => {
            firstError ??= error;
            emit({ type: 'checkpoint-error', runId, step, error: serializeError(error) });
          },
        );
      }
      if (crashAtStep !== undefined && step >= crashAtStep) break;
      await yieldTask();
    }
    if (manager) await manager.waitUntilFinished().catch(() => undefined);
    if (firstError) throw firstError;
    return trainer.step >= toStep ? 'finished' : 'halted';
  }

  private manager(runId: string, config: RunConfig): CheckpointManager {
    return new CheckpointManager({
      store: this.deps.store, runId, maxToKeep: config.maxToKeep,
      saveEverySteps: config.saveEverySteps, fingerprint: stateFingerprint(config), committer: this.deps.committer,
    });
  }

  /**
   * Phase 1 (reference, no checkpoints) then phase 2 (same seed, checkpoint
   * every `config.saveEverySteps` steps, optionally halted at `crashAtStep`).
   */
  async runExperiment(runId: string, config: RunConfig, options: ExperimentOptions = {}): Promise<ExperimentResult> {
    assertValidConfig(config);
    if (options.crashAtStep !== undefined && !(Number.isInteger(options.crashAtStep) && options.crashAtStep >= 1 && options.crashAtStep <= config.steps)) {
      throw new InvalidInputError(`crash step must be between 1 and ${config.steps}`, { field: 'crashAtStep' });
    }
    this.stopRequested = false;
    this.visualEveryMs = options.visualEveryMs ?? 0;
    this.visualGapMs = this.visualEveryMs;
    const { store, backend } = this.deps;
    await deleteRun(store, runId);
    const now = Date.now();
    const record: RunRecord = { runId, config, status: 'reference', createdAtMs: now, updatedAtMs: now, backend: backend.backend, adapter: backend.adapter };
    await putRunRecord(store, record);

    const reference = await this.newTrainer(config);
    let referenceLosses: number[];
    let referenceParams: Tree;
    try {
      const end = await this.train(runId, 'reference', reference, config.steps, null, STATE_PARTS);
      if (end === 'stopped') return { runId, referenceLosses: reference.losses, checkpointedLosses: [], end, checkpoints: [], verdict: null };
      referenceLosses = reference.losses.slice();
      referenceParams = (await reference.snapshot(['model'])).model;
    } finally {
      reference.dispose();
    }
    Object.assign(record, { referenceLosses, referenceParams, status: 'training', updatedAtMs: Date.now() });
    await putRunRecord(store, record);

    const trainer = await this.newTrainer(config);
    const manager = this.manager(runId, config);
    try {
      const end = await this.train(runId, 'checkpointed', trainer, config.steps, manager, savedParts(config.pitfall), options.crashAtStep);
      let verdict: Verdict | null = null;
      if (end === 'finished') {
        verdict = computeVerdict(referenceLosses, trainer.losses, referenceParams, (await trainer.snapshot(['model'])).model, config.steps);
        Object.assign(record, { status: 'finished', verdict: summary(verdict), updatedAtMs: Date.now() });
      } else {
        Object.assign(record, { crashAtStep: trainer.step, updatedAtMs: Date.now() });
      }
      await putRunRecord(store, record);
      const checkpoints = (await listCheckpoints(store, runId)).map((c) => c.step);
      return { runId, referenceLosses, checkpointedLosses: trainer.losses.slice(), end, checkpoints, verdict };
    } finally {
      trainer.dispose();
    }
  }

  /** The newest run that was interrupted during its checkpointed phase and has a checkpoint, if any. */
  async findInterrupted(): Promise<{ record: RunRecord; checkpoints: CheckpointInfo[] } | null> {
    const record = await findInterruptedRun(this.deps.store);
    if (!record) return null;
    return { record, checkpoints: await listCheckpoints(this.deps.store, record.runId) };
  }

  /**
   * Phase 3: fresh objects, restore the latest checkpoint (snapshot a
   * template → read against it → write back), continue to the last step,
   * and compare with the reference.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<ResumeResult> {
    const { store } = this.deps;
    this.visualEveryMs = options.visualEveryMs ?? 0;
    this.visualGapMs = this.visualEveryMs;
    const record = await this.record(runId);
    const runConfig: RunConfig = { ...record.config, pitfall: options.pitfall ?? record.config.pitfall };
    this.stopRequested = false;
    const config = templateConfig(runConfig);
    const manager = this.manager(runId, runConfig);
    const step = options.step ?? (await listCheckpoints(store, runId)).at(-1)?.step;
    if (step === undefined) throw new CheckpointNotFoundError(`Run ${runId} has no committed checkpoint to resume from.`, { runId });

    const trainer = await this.newTrainer(config);
    try {
      const parts = savedParts(config.pitfall);
      // 1. Template: the pure state of freshly built objects.
      const template = await trainer.snapshot(parts);
      // 2. Read the checkpoint against it (refuses anything that does not fit, restores nothing partially).
      const { state, meta } = await restoreCheckpoint(store, runId, step, template, stateFingerprint(config));
      // 3. Write it back into the live objects (`nnx.update`). The pitfall skips this.
      if (config.pitfall === 'omit-update') replaceInto(template, state);
      else await trainer.load(state);
      trainer.step = meta.step;
      trainer.losses = meta.losses.slice();
      const stepsLost = Math.max(0, (record.crashAtStep ?? meta.step) - meta.step);
      Object.assign(record, { status: 'training', updatedAtMs: Date.now() });
      await putRunRecord(store, record);

      const end = await this.train(runId, 'resumed', trainer, record.config.steps, manager, parts);
      const referenceLosses = record.referenceLosses ?? [];
      let verdict: Verdict | null = null;
      if (end === 'finished' && record.referenceParams) {
        verdict = computeVerdict(referenceLosses, trainer.losses, record.referenceParams, (await trainer.snapshot(['model'])).model, record.config.steps);
        Object.assign(record, { status: 'resumed', verdict: summary(verdict), updatedAtMs: Date.now() });
        await putRunRecord(store, record);
      }
      const crossBackend = meta.backend !== this.deps.backend.backend ? { checkpoint: meta.backend, current: this.deps.backend.backend } : null;
      return { runId, restoredFrom: meta.step, stepsLost, resumedLosses: trainer.losses.slice(), referenceLosses, end, verdict, crossBackend };
    } finally {
      trainer.dispose();
    }
  }

  /** All runs, newest first. */
  listRuns(): Promise<RunRecord[]> {
    return listRunRecords(this.deps.store);
  }

  /** Deletes a run with its checkpoints. */
  deleteRun(runId: string): Promise<void> {
    return deleteRun(this.deps.store, runId);
  }

  /** A run's committed checkpoints, oldest first. */
  listCheckpoints(runId: string): Promise<CheckpointInfo[]> {
    return listCheckpoints(this.deps.store, runId);
  }

  /** One checkpoint described per tensor, for the state inspector. */
  inspect(runId: string, step: number): Promise<CheckpointInspection> {
    return inspectCheckpoint(this.deps.store, runId, step);
  }

  /** A checkpoint of a run as a portable file. */
  async exportCheckpoint(runId: string, step: number): Promise<Uint8Array> {
    await this.record(runId);
    return exportCheckpoint(this.deps.store, runId, step);
  }

  /** Imports a checkpoint file into a run (refused unless it fits the run's config); returns its step. */
  async importCheckpoint(runId: string, bytes: Uint8Array): Promise<number> {
    const { config } = await this.record(runId);
    const record = decodeCheckpointFile(bytes);
    assertFitsTemplate({}, {}, record.meta.fingerprint, stateFingerprint(config));
    return (await this.manager(runId, config).writeRecord(record)).step;
  }

  private async record(runId: string): Promise<RunRecord> {
    const record = await getRunRecord(this.deps.store, runId);
    if (!record) throw new CheckpointNotFoundError(`No run ${runId} in this browser's storage.`, { runId });
    return record;
  }
}

function summary(v: Verdict): RunRecord['verdict'] {
  return { maxLossDiff: v.maxLossDiff, maxParamDiff: v.maxParamDiff, firstDivergentStep: v.firstDivergentStep };
}
