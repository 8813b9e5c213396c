/**
 * The playground's decisions that need no React and no browser: run ids, the
 * crash-at-step field, what the progress line says, what a crash or a found
 * run changes in the live run, and what the verdict panel shows after a run
 * or a resume. The hooks call these; they are unit-tested in Node.
 */
import type { ExperimentResult, InterruptedRun, Phase, ResumeResult } from '../protocol';
import type { Found, Lost } from './FoundRun';
import type { CrashMark, RunProgress } from './progressStore';
import type { Activity } from './ProgressBar';
import type { LiveRun } from './useLiveRun';
import type { Outcome } from './VerdictPanel';

/** A run id that sorts by time and reads well: run-<base36 time>-<4 random chars>. */
export function newRunId(nowMs = Date.now(), random = Math.random): string {
  return `run-${nowMs.toString(36)}-${random().toString(36).slice(2, 6)}`;
}

/** How long a throttled refresh waits so that refreshes start at least `intervalMs` apart (0 when the last is that old). */
export function waitMs(nowMs: number, lastMs: number, intervalMs: number): number {
  return Math.max(0, intervalMs - (nowMs - lastMs));
}

/** Any thrown value as an Error (workers and promises may reject with anything). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** The crash-at-step field read against the run's length: the step, null when off, or why it is refused. */
export interface CrashAt {
  /** The step phase 2 stops after, or null when the field is empty or refused. */
  step: number | null;
  /** Why the text is refused, or null. */
  error: string | null;
}

/** Parses the crash-at-step field against the run's length (null when the form has no valid length). */
export function parseCrashAt(text: string, steps: number | null): CrashAt {
  const t = text.trim();
  if (t === '') return { step: null, error: null };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1) return { step: null, error: 'the crash step must be a whole number from 1' };
  if (steps !== null && n >= steps) return { step: null, error: `crash before the run's last step: the run has ${steps} steps, so at most ${steps - 1}` };
  return { step: n, error: null };
}

/** Where the experiment stands, for its ETA. */
export interface ExperimentPosition {
  /** Phase of the last step seen. */
  phase: Phase | null;
  /** Last step seen. */
  step: number;
  /** Steps of the run. */
  totalSteps: number;
  /** Step phase 2 is set to stop after, or null for the whole run. */
  crashAtStep: number | null;
}

/**
 * Steps left in the watched run, never negative: phase 2 up to its end (or
 * its crash step), a resume up to the last step. The reference runs beside
 * it, step for step, so it adds no steps of its own.
 */
export function stepsLeft({ phase, step, totalSteps, crashAtStep }: ExperimentPosition): number {
  const end = phase === 'checkpointed' ? crashAtStep ?? totalSteps : totalSteps;
  return Math.max(0, end - step);
}

/** The progress line while nothing runs: the found run to resume, the finished run, or an invitation. */
export function idleText(found: Found | null, run: Pick<LiveRun, 'done' | 'restoreStep'>, totalSteps: number): string {
  if (found) return `Interrupted at step ${found.crash?.step ?? '?'}: press Resume to continue from step ${found.checkpoints.at(-1)?.step ?? '?'}.`;
  if (run.done) return `Finished: ${run.restoreStep !== null ? 'the resumed run' : 'the run'} reached step ${totalSteps}.`;
  return 'Ready. Press Run experiment.';
}

/**
 * Whether the crash during a checkpoint write can be armed in the engine at
 * once: phase 2 or a resume is running and has committed a checkpoint. Else
 * the page waits for that first checkpoint, so the crash hits a write that
 * has a committed checkpoint before it to resume from.
 */
export function canArmWriteNow(activity: Activity, r: Pick<LiveRun, 'phase' | 'checkpointSteps'>): boolean {
  return (activity === 'running' || activity === 'resuming') && r.phase !== 'reference' && r.phase !== null && r.checkpointSteps.length > 0;
}

/**
 * The step a run was cut short at: what the page last saw, or the record's
 * crash step, and never less than the newest committed checkpoint (a
 * checkpoint can commit before its step's event reaches the page). Null when
 * nothing says.
 */
export function crashStepOf(found: Pick<Found, 'checkpoints' | 'crash' | 'record'>): number | null {
  const seen = found.crash?.step ?? found.record.crashAtStep ?? null;
  if (seen === null) return null;
  return Math.max(seen, found.checkpoints.at(-1)?.step ?? 0);
}

/** Steps lost by a crash: the crash step minus the last committed checkpoint (never negative), or null when the crash step is unknown. */
export function stepsLost(found: Found): number | null {
  const at = crashStepOf(found);
  return at === null ? null : Math.max(0, at - (found.checkpoints.at(-1)?.step ?? 0));
}

/**
 * What a crash control writes into the live run before it pulls the plug:
 * the page's own note of where it did (the engine saves nothing on the way
 * out), and the step the crashed curve ends at. A crash during a resume makes
 * everything watched so far the crashed curve (phase 2 up to the restore,
 * then the resumed steps), so repeated crashes show one crashed curve up to
 * the latest crash and one resumed curve from the latest restore.
 */
export function crashPatch(
  r: Pick<LiveRun, 'phase' | 'step' | 'curves' | 'restoreStep'>, kind: CrashMark['kind'], atMs: number, writeStep?: number,
): Pick<LiveRun, 'crash' | 'crashAtStep' | 'curves'> {
  const crash: CrashMark = { kind, phase: r.phase, step: r.step, atMs, ...(writeStep !== undefined ? { writeStep } : {}) };
  if (r.phase !== 'resumed' || r.restoreStep === null) return { crash, crashAtStep: r.step, curves: r.curves };
  const restore = r.restoreStep;
  const watched = Array.from({ length: Math.max(r.curves.checkpointed.length, r.curves.resumed.length) }, (_, i) => (i < restore ? r.curves.checkpointed[i] : r.curves.resumed[i]));
  return { crash, crashAtStep: r.step, curves: { reference: r.curves.reference, checkpointed: watched, resumed: [] } };
}

/** What the Stop button writes into the live run: a 'stop' mark, and a crash step only when phase 2 was cut short. */
export function stopPatch(r: Pick<LiveRun, 'phase' | 'step'>, atMs: number): Pick<LiveRun, 'crash' | 'crashAtStep'> {
  return { crash: { kind: 'stop', phase: r.phase, step: r.step, atMs }, crashAtStep: r.phase === 'checkpointed' ? r.step : null };
}

/**
 * An interrupted run found after a reload, and the live run that shows it:
 * the reference from its record, the crashed curve and the crash point from
 * the page's progress log when it survived (else the record's crash step).
 */
export function interruptedView(got: InterruptedRun, progress: RunProgress | null): { found: Found; live: Partial<LiveRun> } {
  const { record, checkpoints } = got;
  const crash: CrashMark | null = progress?.crash
    ?? (progress ? { kind: 'unknown', phase: progress.phase, step: progress.step, atMs: progress.updatedAtMs }
      : record.crashAtStep !== undefined ? { kind: 'unknown', phase: 'checkpointed', step: record.crashAtStep, atMs: record.updatedAtMs } : null);
  const seenCrashStep = progress?.crashAtStep ?? crash?.step ?? null;
  const live: Partial<LiveRun> = {
    runId: record.runId, config: record.config,
    curves: {
      reference: record.referenceLosses ?? progress?.curves.reference ?? [],
      checkpointed: progress?.curves.checkpointed ?? [],
      resumed: [],
    },
    // Never before the newest committed checkpoint: it can commit before its step's event reaches the page.
    crashAtStep: seenCrashStep === null ? null : Math.max(seenCrashStep, checkpoints.at(-1)?.step ?? 0),
    crash,
    checkpointSteps: [...new Set([...(progress?.checkpoints ?? []), ...checkpoints.map((c) => c.step)])].sort((a, b) => a - b),
    phase: crash?.phase ?? null, step: crash?.step ?? 0, totalSteps: record.config.steps,
  };
  return { found: { record, checkpoints, crash }, live };
}

/**
 * A crash that left nothing to resume, from the progress log of the run the
 * page touched last: only a crash control's mark counts (not Stop, not a run
 * that reached its end), and only once.
 */
export function lostRun(runId: string | null, progress: RunProgress | null): Lost | null {
  if (!runId || !progress?.crash || progress.done || progress.crash.kind === 'stop') return null;
  return { runId, crash: progress.crash, config: progress.config };
}

/** The verdict panel after a run that reached its last step without a crash (null without a verdict). */
export function experimentOutcome(result: ExperimentResult, steps: number): Outcome | null {
  return result.verdict ? { kind: 'uncrashed', verdict: result.verdict, steps } : null;
}

/** Steps redone after a restore: from the restored step up to where the run had been cut short (never negative). */
export function stepsRedone(restoredFrom: number, found: Found, reported: number): number {
  const at = crashStepOf(found);
  return at === null ? reported : Math.max(0, at - restoredFrom);
}

/** The verdict panel and the status line after a resume that came back. */
export function resumeOutcome(r: ResumeResult, found: Found): { outcome: Outcome; notice: string } {
  if (!r.verdict) return { outcome: { kind: 'stopped', atStep: r.resumedLosses.length }, notice: '' };
  const skippedNote = r.skipped.length > 0 ? `${r.skipped.map((k) => `Step ${k.step} failed its checks${k.path ? ` in ${k.path}` : ''}`).join('; ')}; resumed from step ${r.restoredFrom}. ` : '';
  const notice = found.record.config.pitfall !== 'none' && r.verdict.exact ? `The mistake had no visible effect here${r.pitfall ? `: ${r.pitfall.why}` : '.'}`
    : r.verdict.exact ? 'The resumed run matches the reference bit for bit.' : 'The resumed run diverged from the reference.';
  return {
    outcome: {
      kind: 'verdict', verdict: r.verdict, restoredFrom: r.restoredFrom, stepsLost: stepsRedone(r.restoredFrom, found, r.stepsLost),
      pitfall: found.record.config.pitfall, pitfallOutcome: r.pitfall, skipped: r.skipped,
    },
    notice: skippedNote + notice,
  };
}
