/**
 * The checkpointable-state contract of the data pipeline.
 *
 * Every stateful part saves plain numbers only (RNG words, counters) and reads
 * a saved tree back through these checks, so a damaged or foreign checkpoint
 * is refused with the path at fault before anything is applied.
 */
import { StructureMismatchError } from '../../core/errors';
import type { RngState, RngStream } from '../rng';
import type { Tree } from '../../core/tree';
import type { Batch } from './batch';

/** Something training mutates that a checkpoint must capture. */
export interface Stateful {
  /** Plain numbers that fully determine everything this part produces next. */
  getState(): Tree;
  /** Restores a `getState()` tree; validates all of it first, so a bad tree changes nothing. */
  setState(tree: Tree): void;
}

/** One transformation of a batch. */
export interface Stage {
  /** Key of this stage in the pipeline state. */
  readonly name: string;
  /** A new batch; the input's arrays are left untouched. */
  apply(batch: Batch): Batch;
}

function fail(path: string, why: string): never {
  throw new StructureMismatchError(`Data pipeline state at '${path}' ${why}`, { path });
}

const isObject = (v: unknown): v is Tree =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && (v as { kind?: unknown }).kind !== 'tensor';

const join = (path: string, key: string) => (path ? `${path}/${key}` : key);

/** The subtree `tree[key]`; `path` names `tree` in error messages. */
export function readSubtree(tree: Tree, key: string, path = ''): Tree {
  const v: unknown = isObject(tree) ? tree[key] : undefined;
  if (!isObject(v)) fail(join(path, key), 'is missing or is not an object');
  return v;
}

/** The integer leaf `tree[key]`, checked to lie in [min, max]. */
export function readInt(tree: Tree, key: string, path = '', min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v: unknown = isObject(tree) ? tree[key] : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(join(path, key), `must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
  return v;
}

/** A stream state: uint32 key words and a non-negative safe counter. */
export function readRngState(tree: Tree, path = ''): RngState {
  return {
    key0: readInt(tree, 'key0', path, 0, 0xffffffff),
    key1: readInt(tree, 'key1', path, 0, 0xffffffff),
    counter: readInt(tree, 'counter', path),
  };
}

/** A stage driven by its own random stream; that stream's three numbers are its whole state. */
export abstract class RandomStage implements Stage, Stateful {
  constructor(readonly name: string, protected readonly rng: RngStream) {}

  /** A new batch with this stage's random transformation applied. */
  abstract apply(batch: Batch): Batch;

  /** The stream's key words and counter. */
  getState(): Tree {
    return { ...this.rng.getState() };
  }

  /** Restores the stream; the next `apply` draws what the saved stage would have drawn. */
  setState(tree: Tree): void {
    this.rng.setState(readRngState(tree, this.name));
  }
}
