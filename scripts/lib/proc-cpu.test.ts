import { describe, expect, it } from 'vitest';
import { cpuByGroup, parseStat, processKind, readThreads, type ThreadCpu } from './proc-cpu';

describe('parseStat', () => {
  it('reads the name, parent and user + system time, even when the name holds spaces and parentheses', () => {
    // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const line = '4242 (Chrome (IO) x) S 4200 4200 4200 0 -1 4194560 10 0 0 0 150 25 0 0 20 0 12 0 100 0 0';
    expect(parseStat(line)).toEqual({ name: 'Chrome (IO) x', ppid: 4200, cpuMs: 1750 });
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseStat('garbage')).toThrow(/not a \/proc stat line/);
    expect(() => parseStat('1 (x) S 0')).toThrow(/no utime\/stime/);
  });
});

describe('processKind', () => {
  it('finds --type= in a rewritten, space-separated command line, and calls the process without one the browser', () => {
    expect(processKind('/usr/lib/chromium/chromium --type=renderer --enable-unsafe-webgpu --renderer-client-id=7')).toBe('renderer');
    expect(processKind('/usr/lib/chromium/chromium\0--type=gpu-process\0')).toBe('gpu-process');
    expect(processKind('/usr/lib/chromium/chromium --headless=new --no-sandbox')).toBe('browser');
  });
});

describe('cpuByGroup', () => {
  const t = (pid: number, tid: number, process: string, thread: string, cpuMs: number): ThreadCpu => ({ pid, tid, process, thread, cpuMs });
  it('charges the busiest worker as the training thread, the other as the writer, and the rest by process', () => {
    const before = [t(2, 20, 'renderer', 'DedicatedWorker', 100), t(2, 21, 'renderer', 'DedicatedWorker', 50), t(2, 22, 'renderer', 'ThreadPoolForeg', 10), t(1, 1, 'browser', 'chromium', 0)];
    const after = [
      t(2, 20, 'renderer', 'DedicatedWorker', 1100), t(2, 21, 'renderer', 'DedicatedWorker', 150), t(2, 22, 'renderer', 'ThreadPoolForeg', 40),
      t(1, 1, 'browser', 'chromium', 70), t(3, 30, 'gpu-process', 'chromium', 5), t(4, 40, 'utility', 'chromium', 2),
    ];
    expect(cpuByGroup(before, after)).toEqual({
      'training thread': 1000, 'writer worker': 100, 'renderer, other threads': 30, 'browser process': 70, 'GPU process': 5, 'other processes': 2,
    });
  });
});

describe('readThreads', () => {
  it('reads this process\'s own threads on Linux, and says null elsewhere', () => {
    const threads = readThreads(process.pid);
    if (process.platform !== 'linux') {
      expect(threads).toBeNull();
      return;
    }
    expect(threads!.length).toBeGreaterThan(0);
    expect(threads!.every((x) => x.pid > 0 && x.tid > 0 && x.cpuMs >= 0)).toBe(true);
    expect(threads!.some((x) => x.tid === process.pid)).toBe(true);
  });
});
