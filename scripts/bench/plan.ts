/**
 * What one bench run measures: the sections --only can pick, and for each
 * section its backends, models and repetitions, full or --quick.
 */
import type { BackendName } from '../../src/core/config';
import { BENCH_MODELS, type BenchModelKey } from '../../src/harness/bench/models';
import type { OverheadVariant, RepPlan } from '../../src/harness/bench/protocol';

/**
 * The sections --only can pick: throughput (1), overhead (2, and 2b: CPU per thread), storage (3a:
 * commit vs raw put), restore (3b: from page load), growth (4), longtasks (5),
 * ceiling (6: the matmul GFLOP/s).
 */
export const SECTIONS = ['throughput', 'overhead', 'storage', 'restore', 'growth', 'longtasks', 'ceiling'] as const;
/** One of SECTIONS. */
export type Section = (typeof SECTIONS)[number];

/** Parses --only: every name must be a section, and at least one must be given. */
export function parseSections(arg: string | undefined): Set<Section> {
  if (arg === undefined) return new Set(SECTIONS);
  const names = arg.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only: unknown ${unknown.join(', ') || '(none given)'}; choose from ${SECTIONS.join(', ')}`);
  return new Set(names as Section[]);
}

/** A (backend, model) pair a section measures. */
export type Pair = { backend: BackendName; model: BenchModelKey };

/** What one run measures. */
export interface Plan {
  quick: boolean;
  reps: number;
  throughput: RepPlan;
  /** Models measured for throughput on a backend. */
  modelsFor(backend: BackendName, available: BackendName[]): BenchModelKey[];
  matmul: { n: number; reps: number; warmup: number };
  /** (backend, model) pairs of the checkpoint-overhead experiment. */
  overhead(available: BackendName[]): Pair[];
  overheadPlan: RepPlan;
  overheadVariants: OverheadVariant[];
  /**
   * (backend, model) pairs whose per-thread CPU is read with and without a
   * checkpoint every 10 steps (section 2b, Linux only), each for
   * `cpuPlan.repMs`, alternated `cpuPlan.pairs` times.
   */
  cpu(available: BackendName[]): Pair[];
  cpuPlan: { pairs: number; repMs: number };
  storageModels: BenchModelKey[];
  /**
   * Timed repetitions of each storage operation. More than elsewhere: one
   * strict commit is a single fsync-bound operation of a few ms whose time
   * spreads widely from one to the next.
   */
  storageReps: number;
  restore(available: BackendName[]): Pair[];
  /** Timed page loads per restore (after one warm-up load). */
  restoreReps(backend: BackendName): number;
  growthTargets: number[];
  growthReps: number;
  /** Runs of the playground page per backend in section 5. */
  longTaskReps: number;
}

/**
 * The app's loop (a macrotask yield after each step) with a checkpoint every
 * 1, 10, 100 steps vs never; then never and every 10 without the yield, to
 * show what the yield is for.
 */
const OVERHEAD_VARIANTS: OverheadVariant[] = [
  ...[0, 1, 10, 100].map((every) => ({ every, yieldEveryStep: true })),
  ...[0, 10].map((every) => ({ every, yieldEveryStep: false })),
];

/** The first of `prefs` that started. */
export const firstOf = (prefs: BackendName[], available: BackendName[]): BackendName | undefined => prefs.find((b) => available.includes(b));

/**
 * Section 2b measures the fast backend and model, where a checkpoint every 10
 * steps is most frequent in time. With the slower digits MLP a repetition
 * holds too few checkpoints for their cost to show above the training
 * thread's own variation.
 */
const cpuPairs = (av: BackendName[]): Pair[] => {
  const b = firstOf(['wasm', 'cpu'], av);
  return b ? [{ backend: b, model: 'spirals-mlp' }] : [];
};

/** One spirals MLP on the first backend that started (the quick run's overhead and restore). */
const firstSpirals = (av: BackendName[]): Pair[] => {
  const b = firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], av);
  return b ? [{ backend: b, model: 'spirals-mlp' }] : [];
};

/** The plan of a --quick run, or of a full one. */
export function makePlan(quick: boolean): Plan {
  if (quick) {
    return {
      quick, reps: 5,
      throughput: { reps: 5, slowReps: 5, warmupSteps: 2, targetRepMs: 250, minSteps: 2, maxSteps: 200 },
      modelsFor: (b, av) => BENCH_MODELS.filter((m) => m === 'spirals-mlp'
        || (m === 'digits-mlp' && b === firstOf(['wasm', 'cpu', 'webgl', 'webgpu'], av))
        || (m === 'digits-cnn' && b === firstOf(['webgl', 'cpu', 'webgpu'], av))),
      matmul: { n: 512, reps: 5, warmup: 1 },
      overhead: firstSpirals,
      overheadPlan: { reps: 5, slowReps: 5, warmupSteps: 3, targetRepMs: 500, minSteps: 100, maxSteps: 1000 }, overheadVariants: OVERHEAD_VARIANTS,
      cpu: cpuPairs,
      cpuPlan: { pairs: 1, repMs: 1500 },
      storageModels: [...BENCH_MODELS], storageReps: 21,
      restore: firstSpirals,
      restoreReps: () => 5,
      growthTargets: [1e4, 1e5, 1e6], growthReps: 5,
      longTaskReps: 2,
    };
  }
  return {
    quick, reps: 11,
    // Fast combinations get 11 repetitions of about half a second a side; slow ones (a CNN on a software GPU) the minimum of 5.
    throughput: { reps: 11, slowReps: 5, warmupSteps: 2, targetRepMs: 500, minSteps: 2, maxSteps: 1000 },
    modelsFor: () => [...BENCH_MODELS],
    matmul: { n: 1024, reps: 5, warmup: 1 },
    // One backend whose step settles as a task (webgpu; webgl behaves alike) and one whose step settles as a microtask (wasm; cpu alike).
    overhead: (av) => {
      const pairs = av.filter((b) => b === 'webgpu' || b === 'wasm').map((backend) => ({ backend, model: 'spirals-mlp' as BenchModelKey }));
      const fast = firstOf(['wasm', 'cpu'], av);
      return fast ? [...pairs, { backend: fast, model: 'digits-mlp' }] : pairs;
    },
    // 11 repetitions where a repetition is short (wasm, cpu): a single every-10 ratio spreads widely between repetitions on few cores.
    overheadPlan: { reps: 11, slowReps: 5, warmupSteps: 3, targetRepMs: 1000, minSteps: 100, maxSteps: 1000 }, overheadVariants: OVERHEAD_VARIANTS,
    cpu: cpuPairs,
    cpuPlan: { pairs: 3, repMs: 3000 },
    storageModels: [...BENCH_MODELS], storageReps: 41,
    restore: (av) => {
      const pairs = av.map((backend) => ({ backend, model: 'spirals-mlp' as BenchModelKey }));
      const fast = firstOf(['wasm', 'cpu'], av);
      return fast ? [...pairs, { backend: fast, model: 'digits-mlp' }] : pairs;
    },
    // A WebGPU restore compiles its shaders again, so each load takes long: 5 loads; the others 7.
    restoreReps: (b) => (b === 'webgpu' ? 5 : 7),
    growthTargets: [1e4, 1e5, 1e6, 1e7], growthReps: 5,
    longTaskReps: 5,
  };
}
