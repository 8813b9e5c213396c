/**
 * The verdict of a resume: how far the resumed run is from the reference,
 * over losses and over parameters. Bit-exact means both maxima are exactly 0.
 */
import { hex32, xxh32 } from '../core/hashes';
import { flattenTree, isTensorLeaf, maxAbsDiffByPath, type Tree } from '../core/tree';

/** One parameter tensor's distance between the two runs. */
export interface TensorDiff {
  /** Path in the model tree. */
  path: string;
  /** Tensor shape. */
  shape: number[];
  /** max |reference − resumed| over the tensor's elements. */
  maxAbsDiff: number;
}

/** Comparison of a resumed run with its reference. */
export interface Verdict {
  /** max |reference − resumed| over the per-step losses. */
  maxLossDiff: number;
  /** max |reference − resumed| over every model parameter. */
  maxParamDiff: number;
  /** First step (1-based) whose loss differs in any bit, or null. */
  firstDivergentStep: number | null;
  /** Steps compared (the shorter of the two curves). */
  stepsCompared: number;
  /** Whether the two curves have the expected length. */
  lengthsMatch: boolean;
  /** Per-tensor distances, largest first. */
  tensors: TensorDiff[];
  /** xxHash32 (hex) over the reference's final parameters. */
  referenceHash: string;
  /** xxHash32 (hex) over the resumed run's final parameters. */
  resumedHash: string;
  /** True when both maxima are exactly 0 and the curves are complete. */
  exact: boolean;
}

/** xxHash32 over every path and leaf in path order: a fingerprint of a whole state. */
export function hashTree(tree: Tree): string {
  const parts: Uint8Array[] = [];
  for (const [path, leaf] of flattenTree(tree)) {
    parts.push(new TextEncoder().encode(path));
    if (isTensorLeaf(leaf)) parts.push(new Uint8Array(leaf.data.buffer, leaf.data.byteOffset, leaf.data.byteLength));
    else parts.push(new Uint8Array(new Float64Array([leaf]).buffer));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  return hex32(xxh32(all));
}

/** Compares the reference with a resumed run; `expectedSteps` is the run's length. */
export function computeVerdict(
  referenceLosses: number[], resumedLosses: number[], referenceParams: Tree, resumedParams: Tree, expectedSteps: number,
): Verdict {
  const n = Math.min(referenceLosses.length, resumedLosses.length);
  let maxLossDiff = 0;
  let firstDivergentStep: number | null = null;
  for (let i = 0; i < n; i++) {
    const a = referenceLosses[i];
    const b = resumedLosses[i];
    const same = Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
    if (!same && firstDivergentStep === null) firstDivergentStep = i + 1;
    const d = same ? 0 : Number.isNaN(a - b) ? Infinity : Math.abs(a - b);
    if (d > maxLossDiff) maxLossDiff = d;
  }
  const diffs = maxAbsDiffByPath(referenceParams, resumedParams);
  const shapes = new Map(flattenTree(referenceParams).map(([p, l]) => [p, isTensorLeaf(l) ? l.shape : []]));
  const tensors = Object.entries(diffs)
    .map(([path, d]) => ({ path, shape: shapes.get(path) ?? [], maxAbsDiff: Number.isNaN(d) ? Infinity : d }))
    .sort((x, y) => y.maxAbsDiff - x.maxAbsDiff || x.path.localeCompare(y.path));
  const missing = flattenTree(referenceParams).length !== tensors.length;
  const maxParamDiff = missing ? Infinity : tensors.reduce((m, t) => Math.max(m, t.maxAbsDiff), 0);
  const lengthsMatch = referenceLosses.length === expectedSteps && resumedLosses.length === expectedSteps;
  return {
    maxLossDiff, maxParamDiff, firstDivergentStep, stepsCompared: n, lengthsMatch, tensors,
    referenceHash: hashTree(referenceParams), resumedHash: hashTree(resumedParams),
    exact: maxLossDiff === 0 && maxParamDiff === 0 && lengthsMatch && firstDivergentStep === null,
  };
}
