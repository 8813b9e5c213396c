/**
 * CPU time per thread of the bench's own Chromium, from Linux's /proc. The
 * checkpoint-overhead ratios say how much throughput a checkpoint costs, and
 * "blocked" says how much of that is the training thread's own work; this
 * says where the rest goes: the writer worker, the rest of the renderer
 * (V8's garbage collector runs on its thread pool) and the browser process,
 * where Chromium's IndexedDB backend writes the transaction. On a 2-core
 * machine that work competes with the training thread for the other core.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux architecture Chromium ships for). */
const TICKS_PER_S = 100;

/** One thread's accumulated CPU time. */
export interface ThreadCpu {
  /** Process id. */
  pid: number;
  /** Thread id. */
  tid: number;
  /** Chromium's process type: browser, renderer, gpu-process, utility, zygote. */
  process: string;
  /** The thread's name (comm), e.g. DedicatedWorker, ThreadPoolForeg. */
  thread: string;
  /** User + system CPU time so far, in ms. */
  cpuMs: number;
}

/** Where CPU time is attributed, in report order. */
export const CPU_GROUPS = ['training thread', 'writer worker', 'renderer, other threads', 'browser process', 'GPU process', 'other processes'] as const;
/** One of CPU_GROUPS. */
export type CpuGroup = (typeof CPU_GROUPS)[number];

/** Parses /proc/<id>/stat (or task/<tid>/stat): the name may hold spaces and parentheses, so fields are counted from the last ')'. */
export function parseStat(text: string): { name: string; ppid: number; cpuMs: number } {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  // After ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const f = text.slice(close + 2).trim().split(/\s+/);
  const ticks = Number(f[11]) + Number(f[12]);
  if (!Number.isFinite(ticks)) throw new Error(`no utime/stime in: ${text.slice(0, 80)}`);
  return { name: text.slice(open + 1, close), ppid: Number(f[1]), cpuMs: (ticks * 1000) / TICKS_PER_S };
}

/**
 * Chromium's process type from its command line. Chromium rewrites a child's
 * argv into one space-separated string, so this searches the whole text
 * rather than NUL-separated arguments.
 */
export function processKind(cmdline: string): string {
  return /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser';
}

/** Every thread of `rootPid` and its descendants, or null where there is no /proc (not Linux). */
export function readThreads(rootPid: number): ThreadCpu[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const children = new Map<number, number[]>();
  for (const d of entries) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const { ppid } = parseStat(readFileSync(`/proc/${d}/stat`, 'utf8'));
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      // The process ended between listing and reading.
    }
  }
  const out: ThreadCpu[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    queue.push(...(children.get(pid) ?? []));
    try {
      const process = processKind(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const s = parseStat(readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'));
        out.push({ pid, tid: Number(t), process, thread: s.name, cpuMs: s.cpuMs });
      }
    } catch {
      // Ended while being read: its last CPU time is lost, a few ms at most.
    }
  }
  return out;
}

/**
 * CPU time spent between two readings, by group. In the renderer, the busiest
 * DedicatedWorker thread is the training thread (the bench worker); any
 * other DedicatedWorker is the checkpoint writer it started. Threads that
 * ended in between are not counted.
 */
export function cpuByGroup(before: readonly ThreadCpu[], after: readonly ThreadCpu[]): Record<CpuGroup, number> {
  const was = new Map(before.map((t) => [`${t.pid}/${t.tid}`, t.cpuMs]));
  const deltas = after.map((t) => ({ ...t, ms: t.cpuMs - (was.get(`${t.pid}/${t.tid}`) ?? 0) }));
  const workers = deltas.filter((t) => t.process === 'renderer' && t.thread === 'DedicatedWorker');
  const training = workers.reduce<(typeof deltas)[number] | null>((best, t) => (best === null || t.ms > best.ms ? t : best), null);
  const out = Object.fromEntries(CPU_GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
  for (const t of deltas) {
    const group: CpuGroup = t === training ? 'training thread'
      : t.process === 'renderer' ? (t.thread === 'DedicatedWorker' ? 'writer worker' : 'renderer, other threads')
        : t.process === 'browser' ? 'browser process'
          : t.process === 'gpu-process' ? 'GPU process' : 'other processes';
    out[group] += t.ms;
  }
  return out;
}
