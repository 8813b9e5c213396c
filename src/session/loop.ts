/**
 * The training loop of a run: the watched trainer (checkpointed, or resumed)
 * and the reference trainer advance in lockstep, one step each per turn, so
 * both curves grow together and a crash at any moment after the first
 * checkpoint leaves something to resume. Both are built from the same config
 * and seed, so the reference is what an uninterrupted run produces. The pace
 * gate decides when a turn starts, never what it computes.
 */
import type { CheckpointManager, SaveMeta } from '../checkpoint';
import { VISUAL_GAP_TO_COST_RATIO } from '../core/constants';
import { serializeError } from '../core/errors';
import type { BackendReport } from '../engine/backend';
import type { StatePart, Trainer } from '../engine/trainer';
import { visualize } from '../engine/visual';
import { yieldTask } from '../engine/yieldTask';
import type { PaceGate } from './pace';
import type { Phase, PhaseEnd, SessionEvent } from './session';

/** The trainer a person watches, and how its checkpoints are taken. */
export interface WatchedLane {
  /** Its trainer. */
  trainer: Trainer;
  /** 'checkpointed' for a new run, 'resumed' after a restore. */
  phase: Extract<Phase, 'checkpointed' | 'resumed'>;
  /** Where its checkpoints go. */
  manager: CheckpointManager;
  /** The parts its snapshots hold (all three unless a pitfall leaves one out). */
  parts: readonly StatePart[];
}

/** What one run of the loop needs. */
export interface LoopRun {
  runId: string;
  /** The run's last step. */
  toStep: number;
  watched: WatchedLane;
  /** The reference trainer, or null when the reference is already known. */
  reference: Trainer | null;
  /** Halt the watched trainer after this step (once its checkpoints committed): a crash point. */
  crashAtStep?: number;
  /** After a halt, run the reference on to the last step (unpaced) before returning. */
  referenceToEnd?: boolean;
  /** Called once when the reference reaches the last step. */
  onReferenceDone?: (reference: Trainer) => Promise<void>;
}

/** What the loop reads from its session. */
export interface LoopHost {
  emit: (e: SessionEvent) => void;
  backend: BackendReport;
  gate: PaceGate;
  /** True once a stop was asked for. */
  stopping: () => boolean;
  /** Takes the "crash during the next checkpoint write" arming, if any (it applies once). */
  takeCrashArming: () => { maxMs: number } | null;
  /** Minimum time between visuals, in ms (0 = none). */
  visualEveryMs: number;
}

/** Runs the loop until the last step, a halt or a stop; rejects with the first checkpoint that failed to commit. */
export async function runLoop(host: LoopHost, run: LoopRun): Promise<PhaseEnd> {
  const { emit } = host;
  const { runId, toStep, watched, reference } = run;
  const w = watched.trainer;
  const visuals = new VisualPacer(host.visualEveryMs);
  let firstError: unknown = null;
  let referenceDone = reference === null;

  const referenceStep = async () => {
    if (!reference || reference.step >= toStep) return;
    const loss = await reference.trainStep();
    emit({ type: 'step', runId, phase: 'reference', step: reference.step, totalSteps: toStep, loss });
    if (reference.step >= toStep && !referenceDone) {
      referenceDone = true;
      await run.onReferenceDone?.(reference);
    }
  };

  if (reference) emit({ type: 'phase', runId, phase: 'reference', fromStep: reference.step, totalSteps: toStep });
  // A reference recomputed for a resume first catches up with the restored step, unpaced.
  while (reference && reference.step < w.step) {
    if (host.stopping()) return 'stopped';
    await referenceStep();
    await yieldTask();
  }
  emit({ type: 'phase', runId, phase: watched.phase, fromStep: w.step, totalSteps: toStep });

  let end: PhaseEnd = 'finished';
  while (w.step < toStep) {
    await host.gate.wait();
    if (host.stopping()) { end = 'stopped'; break; }
    // Both trainers dispatch their kernels before either awaits its loss, so a device runs them back to back.
    const [, loss] = await Promise.all([referenceStep(), w.trainStep()]);
    const step = w.step;
    emit({ type: 'step', runId, phase: watched.phase, step, totalSteps: toStep, loss });
    if (visuals.due(step === toStep)) {
      const startMs = performance.now();
      emit({ type: 'visual', runId, phase: watched.phase, step, ...(await visualize(w)) });
      visuals.done(startMs);
    }
    if (watched.manager.shouldSave(step)) {
      const arming = host.takeCrashArming();
      if (arming) watched.manager.holdNextWriteOpen((s) => emit({ type: 'checkpoint-write-open', runId, step: s }), arming.maxMs);
      // The loop waits for the snapshot only; IndexedDB commits in the background.
      const t0 = performance.now();
      const state = await w.snapshot(watched.parts);
      const t1 = performance.now();
      const meta: SaveMeta = { backend: host.backend.backend, adapter: host.backend.adapter, losses: w.losses.slice(), savedAtMs: Date.now() };
      watched.manager.save(step, state, meta).then(
        (info) => emit({ type: 'checkpoint', runId, info, snapshotMs: t1 - t0, commitMs: performance.now() - t1 }),
        (error: unknown) => {
          firstError ??= error;
          emit({ type: 'checkpoint-error', runId, step, error: serializeError(error) });
        },
      );
    }
    if (run.crashAtStep !== undefined && step >= run.crashAtStep && step < toStep) { end = 'halted'; break; }
    await yieldTask();
  }
  // The watched run's checkpoints land before the halt is reported, so a crash right after it loses none.
  await watched.manager.waitUntilFinished().catch(() => undefined);
  if (end === 'halted' && run.referenceToEnd) {
    while (reference && reference.step < toStep && !host.stopping()) {
      await referenceStep();
      await yieldTask();
    }
  }
  if (firstError) throw firstError;
  return end;
}

/** When the next visual is due: at most every `everyMs`, and never more than a fixed share of the run's time. */
class VisualPacer {
  private gapMs: number;
  private lastMs = -Infinity;
  constructor(private readonly everyMs: number) {
    this.gapMs = everyMs;
  }
  due(last: boolean): boolean {
    return this.everyMs > 0 && (last || performance.now() - this.lastMs >= this.gapMs);
  }
  /** The gap runs from the end of a visual and grows with its cost, so a slow visual (software WebGPU, a CNN on the CPU) cannot starve training. */
  done(startMs: number): void {
    this.lastMs = performance.now();
    this.gapMs = Math.max(this.everyMs, VISUAL_GAP_TO_COST_RATIO * (this.lastMs - startMs));
  }
}
