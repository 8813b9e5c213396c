/**
 * What bench.json holds: the raw figures of every section as measured, and
 * the rows and verdicts derived from them (summary). Each section's own
 * entry and row types live with that section (sections/*.ts).
 */
import type { BackendName } from '../../src/core/config';
import type { Verdict } from './format';
import type { CeilingEntry } from './sections/ceiling';
import type { CpuEntry, CpuTableRow } from './sections/cpu';
import type { GrowthEntry, GrowthRow } from './sections/growth';
import type { LongTaskEntry, LongTaskRow } from './sections/longtasks';
import type { OverheadEntry, OverheadRow } from './sections/overhead';
import type { RestoreEntry, RestoreRow } from './sections/restore';
import type { StorageEntry, StorageRow } from './sections/storage';
import type { ThroughputEntry, ThroughputRow } from './sections/throughput';

/** Outcome of a measurement that may not run everywhere. */
export type Status = 'ok' | 'unsupported' | 'error';

/** Where and with what the bench ran. */
export interface BenchMeta {
  /** ISO time the run started. */
  startedAt: string;
  /** Wall time of the whole run, in s. */
  wallS: number;
  /** --quick. */
  quick: boolean;
  /** Sections run (--only); absent in results from before --only existed, which ran all of them. */
  sections?: string[];
  /** Backends asked for. */
  backendsRequested: BackendName[];
  /** Backends that started, with their adapters. */
  backends: Array<{ backend: BackendName; adapter: string; initMs: number }>;
  /** Backends that did not start, and why. */
  unavailable: Array<{ backend: BackendName; reason: string }>;
  /** Timed repetitions per measurement (after warm-up). */
  reps: number;
  /** The machine. */
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string; node: string; chromium: string; tfjs: string };
  /** 1-minute load average when the run started and when it ended (above the core count = other work competed). */
  loadAverage: { start: number; end: number };
}

/** Everything bench.json holds. */
export interface BenchResults {
  meta: BenchMeta;
  throughput: ThroughputEntry[];
  ceilings: CeilingEntry[];
  overhead: OverheadEntry[];
  /** Section 2b (absent in reports from before it existed, empty where /proc cannot be read). */
  cpu?: CpuEntry[];
  storage: StorageEntry[];
  restore: RestoreEntry[];
  growth: GrowthEntry | null;
  /** Section 5, one entry per backend (a single entry with another shape in reports from before it ran on the playground page). */
  longTasks: LongTaskEntry[];
  /** Measurements that failed, with the error. */
  problems: string[];
  /** Rows derived from the raw figures. */
  summary?: Summary;
}

/** All derived rows and the verdicts. */
export interface Summary {
  throughput: ThroughputRow[];
  overhead: OverheadRow[];
  cpu: CpuTableRow[];
  storage: StorageRow[];
  restore: RestoreRow[];
  growth: GrowthRow[];
  longTasks: LongTaskRow[];
  /** Best raw strict-put throughput seen (MB/s): the storage ceiling. */
  storageCeilingMBps: number | null;
  verdicts: Verdict[];
}
