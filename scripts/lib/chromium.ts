/**
 * Finding and launching a real Chromium for headless runs: the system one
 * (Debian's /usr/bin/chromium) or Playwright's, overridable by
 * RESUMABLE_CHROMIUM, with extra flags from RESUMABLE_CHROMIUM_FLAGS.
 * Launched as our own child process so a crash test can SIGKILL it, then
 * driven over CDP by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

/** Flags that work on CPU-only Linux machines: WebGPU on SwiftShader, no network chatter. */
export const CHROMIUM_FLAGS = [
  '--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--no-default-browser-check',
  /** RESUMABLE_CHROMIUM_FLAGS: extra space-separated flags, e.g. to put WebGPU on a real GPU through Vulkan. */
  ...(process.env.RESUMABLE_CHROMIUM_FLAGS ?? '').split(/\s+/).filter(Boolean),
];

/** Path of a Chromium binary, or throws saying how to get one. */
export function findChromium(): string {
  const fromEnv = process.env.RESUMABLE_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`RESUMABLE_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  try {
    const p = chromium.executablePath();
    if (p && existsSync(p)) return p;
  } catch {
    // Playwright's own browser is not installed; fall through to the message.
  }
  throw new Error('No Chromium found. Install one (Debian: apt-get install -y chromium) or set RESUMABLE_CHROMIUM=/path/to/chrome.');
}

/** A Chromium process we own, and the CDP connection to it. */
export interface OwnedBrowser {
  /** The CDP-connected browser. */
  browser: Browser;
  /** The browser's process (its own process group). */
  proc: ChildProcess;
  /** Kills the whole process group with SIGKILL: no graceful close, nothing flushed. */
  sigkill(): Promise<void>;
  /** Closes politely. */
  close(): Promise<void>;
}

/** Starts Chromium on a profile directory (kept across launches, like a person's profile). */
export async function launchChromium(userDataDir: string, extraArgs: string[] = []): Promise<OwnedBrowser> {
  const proc = spawn(findChromium(), [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', ...extraArgs, 'about:blank'], {
    detached: true, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in time:\n${buf.slice(-2000)}`)), 60_000);
    proc.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited (${code}) before listening:\n${buf.slice(-2000)}`)); });
  });
  proc.stderr!.resume();
  const browser = await chromium.connectOverCDP(wsEndpoint);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    browser,
    proc,
    async sigkill() {
      try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* already gone */ }
      await exited;
    },
    async close() {
      await browser.close().catch(() => undefined);
      try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
}
