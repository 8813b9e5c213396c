/**
 * The pace of a run, as a person sets it: play or pause, one step at a
 * time, or a cap on steps per second. The training loop waits at the gate
 * before each step; the gate only decides when a step starts, never what it
 * computes, so a paced run produces the same bits as an unpaced one.
 */

/** How fast a run may go. */
export interface Pace {
  /** Most steps per second, or null for as fast as the backend allows. */
  stepsPerSecond: number | null;
  /** Whether the run waits (for play, or for one step at a time). */
  paused: boolean;
}

/** As fast as possible, not paused. */
export const UNPACED: Pace = { stepsPerSecond: null, paused: false };

/** Clock and timer the gate uses (injected in tests). */
export interface PaceClock {
  /** Current time, in milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Checks a pace from outside (a message), so a bad value is refused rather than stalling the loop. */
export function isPace(x: unknown): x is Pace {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Pace;
  return typeof p.paused === 'boolean' && (p.stepsPerSecond === null || (typeof p.stepsPerSecond === 'number' && p.stepsPerSecond > 0 && Number.isFinite(p.stepsPerSecond)));
}

/** The gate a training loop waits at before each step. */
export class PaceGate {
  private pace: Pace = UNPACED;
  private lastStartMs = -Infinity;
  private grantedSteps = 0;
  private released = false;
  /** Wakes a waiting loop when the pace changes, a step is granted, or the gate is released. */
  private wake: (() => void) | null = null;

  constructor(private readonly clock: PaceClock = realClock) {}

  /** The pace in force. */
  get current(): Pace {
    return { ...this.pace };
  }

  /** Changes the pace; a waiting loop re-reads it at once. */
  set(pace: Pace): void {
    this.pace = { ...pace };
    this.poke();
  }

  /** While paused, lets exactly one more step through. */
  stepOnce(): void {
    this.grantedSteps++;
    this.poke();
  }

  /** Lets every waiting and later step through at once (the run is stopping); `reset` closes it again. */
  release(): void {
    this.released = true;
    this.poke();
  }

  /** Closes a released gate for the next run; the pace and any step granted before the run starts stay. */
  reset(): void {
    this.released = false;
    this.lastStartMs = -Infinity;
  }

  /** Resolves when the next step may start. */
  async wait(): Promise<void> {
    for (;;) {
      if (this.released) return;
      if (this.pace.paused && this.grantedSteps === 0) {
        await this.changed();
        continue;
      }
      const rate = this.pace.stepsPerSecond;
      const dueMs = rate === null ? -Infinity : this.lastStartMs + 1000 / rate;
      const waitMs = dueMs - this.clock.now();
      if (waitMs > 0 && !(this.pace.paused && this.grantedSteps > 0)) {
        await Promise.race([this.clock.sleep(waitMs), this.changed()]);
        continue;
      }
      if (this.pace.paused) this.grantedSteps--;
      this.lastStartMs = this.clock.now();
      return;
    }
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
