/**
 * Named errors that cross the worker boundary intact.
 *
 * Each carries plain-data `details`; `serializeError` / `reviveError` turn
 * them into a structured-clone-safe object and back into the same subclass on
 * the other side (the comlink / web-llm pattern).
 */

/** Base class: a message a person can act on, plus machine-readable details. */
export class ResumableError extends Error {
  /** Plain-data context (paths, steps, sizes) for UIs and tests. */
  details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.details = details;
  }
}
// Names are set as string literals, not from the class: minifiers rename
// classes, and the name is what rebuilds the subclass across the worker boundary.
ResumableError.prototype.name = 'ResumableError';

/** A stored checkpoint failed its checksum, is truncated, or cannot be decoded. */
export class CheckpointCorruptError extends ResumableError {}
CheckpointCorruptError.prototype.name = 'CheckpointCorruptError';

/** A checkpoint does not fit the template built from fresh objects (paths, shapes, dtypes, config). */
export class StructureMismatchError extends ResumableError {}
StructureMismatchError.prototype.name = 'StructureMismatchError';

/** WebGPU was asked for and is not available in this browser. */
export class WebGPUUnavailableError extends ResumableError {}
WebGPUUnavailableError.prototype.name = 'WebGPUUnavailableError';

/** No checkpoint exists for the requested run or step. */
export class CheckpointNotFoundError extends ResumableError {}
CheckpointNotFoundError.prototype.name = 'CheckpointNotFoundError';

/** Storage refused a write (quota exceeded, disk full); earlier checkpoints are intact. */
export class StorageFullError extends ResumableError {}
StorageFullError.prototype.name = 'StorageFullError';

/** A run configuration or imported file is invalid; says which field and why. */
export class InvalidInputError extends ResumableError {}
InvalidInputError.prototype.name = 'InvalidInputError';

/** Another writer (a second tab on the same run) changed the run's checkpoints since this one last saw them; nothing was written. */
export class ConcurrentWriteError extends ResumableError {}
ConcurrentWriteError.prototype.name = 'ConcurrentWriteError';

const REGISTRY = {
  ResumableError,
  CheckpointCorruptError,
  StructureMismatchError,
  WebGPUUnavailableError,
  CheckpointNotFoundError,
  StorageFullError,
  InvalidInputError,
  ConcurrentWriteError,
} as const;

/** Name of a known error class. */
export type ErrorName = keyof typeof REGISTRY | 'Error';

/** Structured-clone-safe form of an error. */
export interface SerializedError {
  /** Class name, used to rebuild the subclass. */
  name: string;
  /** Human-readable message. */
  message: string;
  /** Plain-data details, when the error had any. */
  details?: Record<string, unknown>;
  /** Stack from the side that threw, for debugging. */
  stack?: string;
}

/** Turns any thrown value into a SerializedError. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof ResumableError) return { name: e.name, message: e.message, details: e.details, stack: e.stack };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

/** Rebuilds the named subclass from a SerializedError (plain Error for unknown names). */
export function reviveError(s: SerializedError): Error {
  const Ctor = (REGISTRY as Record<string, typeof ResumableError>)[s.name];
  const err = Ctor ? new Ctor(s.message, s.details ?? {}) : Object.assign(new Error(s.message), { name: s.name });
  if (s.stack) err.stack = s.stack;
  return err;
}
