/**
 * Checks a saved state tree against a template built from fresh objects.
 *
 * Every problem is collected before anything is reported, so one error names
 * every offending path and a restore is refused as a whole, never applied in part.
 */
import { StructureMismatchError } from '../core/errors';
import { flattenTree, type Leaf, type Tree } from '../core/tree';

/** What is wrong at one path. */
export type ProblemKind = 'missing' | 'extra' | 'shape' | 'dtype' | 'kind' | 'fingerprint';

/** One way a checkpoint does not fit its template. */
export interface TemplateProblem {
  /** Tree path ('model/dense_0/kernel'), or 'fingerprint.<field>' for a config field. */
  path: string;
  /** Category of the mismatch. */
  kind: ProblemKind;
  /** Human-readable description, checkpoint side first: "shape [2,32] in checkpoint, [2,64] in template". */
  detail: string;
}

/** The fingerprint of the config a state belongs to (see stateFingerprint). */
export type Fingerprint = Record<string, string | number>;

const describe = (leaf: Leaf): string => (typeof leaf === 'number' ? 'number' : `tensor ${leaf.dtype} [${leaf.shape}]`);
const show = (v: string | number | undefined): string => (v === undefined ? 'absent' : JSON.stringify(v));

/** Every mismatch between a saved tree and a template (empty when it fits); fingerprints are compared only when both are given. */
export function compareWithTemplate(
  saved: Tree, template: Tree, savedFingerprint?: Fingerprint, templateFingerprint?: Fingerprint,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: string, kind: ProblemKind, detail: string) => problems.push({ path, kind, detail });
  const savedLeaves = new Map(flattenTree(saved));
  const templateLeaves = new Map(flattenTree(template));
  for (const [path, t] of templateLeaves) {
    const s = savedLeaves.get(path);
    if (s === undefined) add(path, 'missing', `missing from checkpoint, template has ${describe(t)}`);
    else if (typeof s === 'number' || typeof t === 'number') {
      if (typeof s !== typeof t) add(path, 'kind', `${describe(s)} in checkpoint, ${describe(t)} in template`);
    } else {
      if (s.dtype !== t.dtype) add(path, 'dtype', `dtype ${s.dtype} in checkpoint, ${t.dtype} in template`);
      if (s.shape.join() !== t.shape.join()) add(path, 'shape', `shape [${s.shape}] in checkpoint, [${t.shape}] in template`);
    }
  }
  for (const [path, s] of savedLeaves) {
    if (!templateLeaves.has(path)) add(path, 'extra', `${describe(s)} in checkpoint, not in template`);
  }
  if (savedFingerprint && templateFingerprint) {
    const fields = [...new Set([...Object.keys(savedFingerprint), ...Object.keys(templateFingerprint)])].sort();
    for (const f of fields) {
      const [s, t] = [savedFingerprint[f], templateFingerprint[f]];
      if (s !== t) add(`fingerprint.${f}`, 'fingerprint', `${show(s)} in checkpoint, ${show(t)} in template`);
    }
  }
  return problems;
}

/** Throws StructureMismatchError naming every problem (details.problems holds the list) unless the saved tree fits the template. */
export function assertFitsTemplate(
  saved: Tree, template: Tree, savedFingerprint?: Fingerprint, templateFingerprint?: Fingerprint,
): void {
  const problems = compareWithTemplate(saved, template, savedFingerprint, templateFingerprint);
  if (problems.length > 0) {
    throw new StructureMismatchError(
      `Checkpoint does not fit the template (${problems.length} problem${problems.length > 1 ? 's' : ''}): `
        + problems.map((p) => `${p.path}: ${p.detail}`).join('; '),
      { problems },
    );
  }
}
