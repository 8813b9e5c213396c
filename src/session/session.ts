/**
 * A session runs the three-phase experiment of the resumable-training guide
 * on top of the trainer and the checkpoint layer: the reference run (phase
 * 1), the same run with checkpoints (phase 2, which may be interrupted, and
 * which runs beside the reference so that it can be watched and crashed at
 * any moment), and the resume into fresh objects (phase 3). It knows nothing
 * of workers or screens: the worker adapts it to messages, Node tests drive
 * it directly.
 */
import {
  assertFitsTemplate, CheckpointManager, decodeCheckpointFile, deleteRun, exportCheckpoint, inspectCheckpoint, listCheckpoints, restoreCheckpoint,
  type CheckpointInfo, type CheckpointInspection, type Committer, type Store,
} from '../checkpoint';
import { assertValidConfig, stateFingerprint, type Pitfall, type RunConfig } from '../core/config';
import { CheckpointCorruptError, CheckpointNotFoundError, InvalidInputError, StorageFullError, type SerializedError } from '../core/errors';
import { noEffectReason, pitfallEffect } from '../core/pitfalls';
import type { Tree } from '../core/tree';
import type { BackendReport } from '../engine/backend';
import { makeSource } from '../engine/data/pipeline';
import type { Source } from '../engine/data/source';
import { Trainer } from '../engine/trainer';
import { visualize, type Visual } from '../engine/visual';
import { runLoop, type LoopHost } from './loop';
import { isPace, PaceGate, type Pace } from './pace';
import { replaceInto, savedParts, templateConfig, usesTfjsAdam } from './pitfalls';
import { findInterruptedRun, getRunRecord, listRunRecords, mergeCorrupt, putRunRecord, type RunRecord, type SkippedCheckpoint } from './runRecord';
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
  | { type: 'storage-warning'; runId: string; message: string }
  | { type: 'warmup'; runId: ''; state: 'start' }
  | { type: 'warmup'; runId: ''; state: 'done'; ms: number }
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
  /** Newer checkpoints that failed their checks and were passed over, newest first (kept, and marked in the run record). */
  skipped: SkippedCheckpoint[];
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
  /** Under a pitfall, what it did: the resume diverged, or it had no visible effect here (and why). Null without a pitfall or before the last step. */
  pitfall: { outcome: 'diverged' | 'no-effect'; why: string } | null;
}

/** Options of an experiment. */
export interface ExperimentOptions {
  /** Stop the checkpointed phase after this step (once its checkpoints committed): the crash point. */
  crashAtStep?: number;
  /** Emit a 'visual' event (decision boundary or digit predictions) at most this often; 0 = never. */
  visualEveryMs?: number;
  /** After a halt at crashAtStep, finish the reference (unpaced) before returning, so its record is complete. */
  referenceToEnd?: boolean;
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
  private readonly gate = new PaceGate();
  private stopRequested = false;
  private crashArmed: { maxMs: number } | null = null;
  /** The warm-up in progress, which a run waits for before it builds its trainers. */
  private warming: Promise<unknown> = Promise.resolve();

  constructor(deps: SessionDeps) {
    this.deps = deps;
  }

  /** Asks the running loop to stop before its next step (a paused one too). */
  stop(): void {
    this.stopRequested = true;
    this.gate.release();
  }

  /** Sets how fast runs go (play, pause, a cap on steps per second); it applies at once and to later runs. */
  setPace(pace: Pace): void {
    if (!isPace(pace)) throw new InvalidInputError(`invalid pace ${JSON.stringify(pace)}: stepsPerSecond must be a positive number or null, paused a boolean`, { pace });
    this.gate.set(pace);
  }

  /** While paused, runs exactly one more step. */
  stepOnce(): void {
    this.gate.stepOnce();
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

  /**
   * Compiles the backend's kernels for `config`'s model (one throwaway step
   * and one evaluation on fresh objects) and loads its data, so the first
   * step after Run does not wait for shader compilation. Touches no run and
   * no random stream a run reads.
   */
  warmUp(config: RunConfig): Promise<{ ms: number }> {
    assertValidConfig(config);
    const work = this.warming.catch(() => undefined).then(async () => {
      const t0 = performance.now();
      this.deps.emit({ type: 'warmup', runId: '', state: 'start' });
      const trainer = await this.newTrainer(config);
      try {
        await trainer.trainStep();
        await visualize(trainer);
      } finally {
        trainer.dispose();
      }
      const ms = performance.now() - t0;
      this.deps.emit({ type: 'warmup', runId: '', state: 'done', ms });
      return { ms };
    });
    this.warming = work;
    return work;
  }

  private manager(runId: string, config: RunConfig): CheckpointManager {
    return new CheckpointManager({
      store: this.deps.store, runId, maxToKeep: config.maxToKeep,
      saveEverySteps: config.saveEverySteps, fingerprint: stateFingerprint(config), committer: this.deps.committer,
    });
  }

  private loopHost(visualEveryMs: number | undefined): LoopHost {
    return {
      emit: this.deps.emit, backend: this.deps.backend, gate: this.gate, visualEveryMs: visualEveryMs ?? 0,
      stopping: () => this.stopRequested,
      takeCrashArming: () => { const a = this.crashArmed; this.crashArmed = null; return a; },
    };
  }

  private async begin(): Promise<void> {
    await this.warming.catch(() => undefined);
    this.stopRequested = false;
    this.gate.reset();
  }

  /**
   * Stores the finished reference in the run record, so a later resume need
   * not recompute it. A full disk does not stop the run: the record keeps
   * what it had, a later resume recomputes the reference, and the page is told.
   */
  private async storeReference(record: RunRecord, reference: Trainer): Promise<void> {
    const stored = { referenceLosses: reference.losses.slice(), referenceParams: (await reference.snapshot(['model'])).model };
    try {
      await putRunRecord(this.deps.store, { ...record, ...stored, updatedAtMs: Date.now() });
      Object.assign(record, stored);
    } catch (e) {
      if (!(e instanceof StorageFullError)) throw e;
      this.deps.emit({ type: 'storage-warning', runId: record.runId, message: `The finished reference could not be stored (${e.message}); a resume will recompute it.` });
    }
  }

  /**
   * A run: the checkpointed trainer (checkpoint every `config.saveEverySteps`
   * steps) and the reference beside it in lockstep, to the last step or to
   * `crashAtStep`, where the checkpointed trainer halts like a crash point.
   */
  async runExperiment(runId: string, config: RunConfig, options: ExperimentOptions = {}): Promise<ExperimentResult> {
    assertValidConfig(config);
    const { crashAtStep } = options;
    if (crashAtStep !== undefined && !(Number.isInteger(crashAtStep) && crashAtStep >= 1 && crashAtStep < config.steps)) {
      throw new InvalidInputError(`the crash step must be a whole number from 1 to ${config.steps - 1} (before the run's last step)`, { field: 'crashAtStep' });
    }
    await this.begin();
    const { store, backend } = this.deps;
    await deleteRun(store, runId);
    const now = Date.now();
    const record: RunRecord = { runId, config, status: 'training', createdAtMs: now, updatedAtMs: now, backend: backend.backend, adapter: backend.adapter };
    await putRunRecord(store, record);

    const reference = await this.newTrainer(config);
    const trainer = await this.newTrainer(config);
    try {
      const end = await runLoop(this.loopHost(options.visualEveryMs), {
        runId, toStep: config.steps, crashAtStep, referenceToEnd: options.referenceToEnd, reference,
        watched: { trainer, phase: 'checkpointed', manager: this.manager(runId, config), parts: savedParts(config.pitfall) },
        onReferenceDone: (r) => this.storeReference(record, r),
      });
      let verdict: Verdict | null = null;
      if (end === 'finished') {
        verdict = computeVerdict(reference.losses, trainer.losses, (await reference.snapshot(['model'])).model, (await trainer.snapshot(['model'])).model, config.steps);
        Object.assign(record, { status: 'finished', verdict: summary(verdict) });
      } else {
        record.crashAtStep = trainer.step;
      }
      record.updatedAtMs = Date.now();
      await putRunRecord(store, record);
      const checkpoints = (await listCheckpoints(store, runId)).map((c) => c.step);
      return { runId, referenceLosses: reference.losses.slice(), checkpointedLosses: trainer.losses.slice(), end, checkpoints, verdict };
    } finally {
      reference.dispose();
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
   * Restores the newest checkpoint that reads back intact (or `step`) into
   * `trainer`: template from fresh objects → read against it → write back.
   * A checkpoint that fails its checks is recorded as corrupt and the next
   * older one is tried; only an explicit step, or a checkpoint that does not
   * fit the template, ends the search with its error.
   */
  private async restoreNewestIntact(record: RunRecord, config: RunConfig, trainer: Trainer, step: number | undefined) {
    const { store } = this.deps;
    const listed = await listCheckpoints(store, record.runId);
    const candidates = step !== undefined ? [step] : listed.map((c) => c.step).reverse();
    if (candidates.length === 0) throw new CheckpointNotFoundError(`Run ${record.runId} has no committed checkpoint to resume from.`, { runId: record.runId });
    const parts = savedParts(config.pitfall);
    const skipped: SkippedCheckpoint[] = [];
    for (const candidate of candidates) {
      // 1. Template: the pure state of freshly built objects.
      const template = await trainer.snapshot(parts);
      try {
        // 2. Read the checkpoint against it (refuses anything that does not fit, restores nothing partially).
        const { state, meta } = await restoreCheckpoint(store, record.runId, candidate, template, stateFingerprint(config));
        // 3. Write it back into the live objects (`nnx.update`). The pitfall skips this.
        if (config.pitfall === 'omit-update') replaceInto(template, state);
        else await trainer.load(state);
        trainer.step = meta.step;
        trainer.losses = meta.losses.slice();
        return { meta, parts, skipped };
      } catch (e) {
        if (step !== undefined || !(e instanceof CheckpointCorruptError)) throw e;
        const digest = listed.find((c) => c.step === candidate)?.digest ?? 0;
        skipped.push({ step: candidate, message: e.message, path: typeof e.details.path === 'string' ? e.details.path : null, digest });
      }
    }
    throw new CheckpointCorruptError(
      `Every checkpoint of run ${record.runId} failed its checks: ${skipped.map((s) => `step ${s.step}: ${s.message}`).join('; ')}`,
      { runId: record.runId, skipped },
    );
  }

  /**
   * Phase 3: fresh objects, restore the newest intact checkpoint, continue
   * to the last step beside a reference (recomputed unless the run stored
   * it), and compare with it.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<ResumeResult> {
    const { store } = this.deps;
    const record = await this.record(runId);
    const runConfig: RunConfig = { ...record.config, pitfall: options.pitfall ?? record.config.pitfall };
    const config = templateConfig(runConfig);
    await this.begin();
    const trainer = await this.newTrainer(config);
    let reference: Trainer | null = null;
    try {
      const { meta, parts, skipped } = await this.restoreNewestIntact(record, config, trainer, options.step);
      const stepsLost = Math.max(0, (record.crashAtStep ?? meta.step) - meta.step);
      const stored = record.referenceLosses?.length === record.config.steps && record.referenceParams !== undefined;
      reference = stored ? null : await this.newTrainer(runConfig);
      Object.assign(record, {
        status: 'training', updatedAtMs: Date.now(),
        corruptSteps: mergeCorrupt(record.corruptSteps, skipped),
      });
      await putRunRecord(store, record);

      const end = await runLoop(this.loopHost(options.visualEveryMs), {
        runId, toStep: record.config.steps, reference,
        watched: { trainer, phase: 'resumed', manager: this.manager(runId, runConfig), parts },
        onReferenceDone: (r) => this.storeReference(record, r),
      });
      const referenceLosses = reference ? reference.losses.slice() : record.referenceLosses ?? [];
      let verdict: Verdict | null = null;
      if (end === 'finished') {
        const referenceParams = reference ? (await reference.snapshot(['model'])).model : record.referenceParams as Tree;
        verdict = computeVerdict(referenceLosses, trainer.losses, referenceParams, (await trainer.snapshot(['model'])).model, record.config.steps);
        Object.assign(record, { status: 'resumed', verdict: summary(verdict), updatedAtMs: Date.now() });
        await putRunRecord(store, record);
      }
      const crossBackend = meta.backend !== this.deps.backend.backend ? { checkpoint: meta.backend, current: this.deps.backend.backend } : null;
      const pitfall = runConfig.pitfall === 'none' || !verdict ? null
        : verdict.exact ? { outcome: 'no-effect' as const, why: noEffectReason(runConfig, meta.step) } : { outcome: 'diverged' as const, why: pitfallEffect(runConfig)?.why ?? '' };
      return { runId, restoredFrom: meta.step, stepsLost, skipped, resumedLosses: trainer.losses.slice(), referenceLosses, end, verdict, crossBackend, pitfall };
    } finally {
      trainer.dispose();
      reference?.dispose();
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
