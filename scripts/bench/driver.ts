/**
 * Driving the bench page (`?bench`, window.resumableBench) from Node: open a
 * page, start a bench worker on one backend, call its methods while a
 * progress line on stderr shows what the worker is measuring.
 */
import type { Browser, Page } from '@playwright/test';
import type { BenchApi, BenchMethod, InitResult } from '../../src/harness/bench/protocol';
import type { BackendName } from '../../src/core/config';

/** One status line on stderr, redrawn in place on a terminal; one line per section otherwise. */
export class ProgressLine {
  private section = '';
  private detail = '';
  private readonly t0 = Date.now();
  private lastPlain = '';
  private readonly tty = process.stderr.isTTY === true;

  /** Sets the section (e.g. 'throughput webgpu spirals-mlp') and redraws. */
  setSection(section: string): void {
    this.section = section;
    this.detail = '';
    this.render();
  }

  /** Sets the detail after the section (e.g. the worker's 'rep 3/5') and redraws. */
  setDetail(detail: string): void {
    this.detail = detail;
    this.render();
  }

  /** Prints a permanent line above the progress line. */
  log(line: string): void {
    this.clear();
    process.stderr.write(`${line}\n`);
    this.render();
  }

  /** Erases the progress line. */
  clear(): void {
    if (this.tty) process.stderr.write(`\r${' '.repeat(Math.max(0, (process.stderr.columns ?? 100) - 1))}\r`);
  }

  private render(): void {
    const secs = Math.round((Date.now() - this.t0) / 1000);
    const text = `[${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}] ${this.section}${this.detail ? ` | ${this.detail}` : ''}`;
    if (this.tty) {
      const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
      process.stderr.write(`\r${text.slice(0, width).padEnd(width)}`);
    } else if (this.section !== this.lastPlain) {
      this.lastPlain = this.section;
      process.stderr.write(`${text}\n`);
    }
  }
}

/** Rejects with a message naming `label` when `p` takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls the page's progress into the line until `p` settles. */
export async function followProgress<T>(page: Page, progress: ProgressLine, p: Promise<T>): Promise<T> {
  let done = false;
  const settled = p.then(() => undefined, () => undefined).finally(() => { done = true; });
  while (!done) {
    const text = await page.evaluate(() => window.resumableBench?.progress() ?? '').catch(() => '');
    if (text) progress.setDetail(text);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 250))]);
  }
  return p;
}

/** A `?bench` page and its current bench worker. */
export class BenchPage {
  private constructor(readonly page: Page, private readonly progress: ProgressLine) {}

  /**
   * Opens `${url}?bench${extra}` in a new tab and waits for
   * window.resumableBench. Polls on a timer, not on animation frames, which a
   * headless tab may never get.
   */
  static async open(browser: Browser, url: string, progress: ProgressLine, extra = ''): Promise<BenchPage> {
    const page = await browser.contexts()[0].newPage();
    try {
      await page.goto(`${url}?bench${extra}`, { timeout: 30_000 });
      await page.waitForFunction(() => window.resumableBench !== undefined, undefined, { timeout: 30_000, polling: 50 });
    } catch (e) {
      await page.close().catch(() => undefined);
      throw e;
    }
    return new BenchPage(page, progress);
  }

  /** Starts a fresh bench worker on exactly this backend. */
  start(backend: BackendName, timeoutMs = 120_000): Promise<InitResult> {
    return withTimeout(this.page.evaluate((b) => window.resumableBench!.start(b), backend), timeoutMs, `starting ${backend}`);
  }

  /** Calls a bench method, following its progress, failing after `timeoutMs`. */
  call<M extends BenchMethod>(method: M, params: BenchApi[M]['params'], timeoutMs: number): Promise<BenchApi[M]['result']> {
    const p = this.page.evaluate(
      ([m, a]) => window.resumableBench!.call(m as BenchMethod, a as never) as Promise<unknown>,
      [method, params] as const,
    ) as Promise<BenchApi[M]['result']>;
    return withTimeout(followProgress(this.page, this.progress, p), timeoutMs, `bench ${method}`);
  }

  /** Terminates the worker and closes the tab. */
  async close(): Promise<void> {
    await this.page.evaluate(() => window.resumableBench?.stop()).catch(() => undefined);
    await this.page.close().catch(() => undefined);
  }
}
