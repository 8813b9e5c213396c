import { describe, expect, it } from 'vitest';
import { isPace, PaceGate, type PaceClock } from './pace';

/** A clock that moves only when the test says so. */
function fakeClock() {
  let t = 0;
  const sleepers: Array<{ at: number; resolve: () => void }> = [];
  const clock: PaceClock = {
    now: () => t,
    sleep: (ms) => new Promise((resolve) => { sleepers.push({ at: t + ms, resolve }); }),
  };
  const advance = async (ms: number) => {
    t += ms;
    for (const s of sleepers.splice(0)) {
      if (s.at <= t) s.resolve();
      else sleepers.push(s);
    }
    await flush();
  };
  return { clock, advance };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Starts `n` waits one after another and records when each passes. */
function passes(gate: PaceGate, clock: PaceClock, n: number) {
  const times: number[] = [];
  const done = (async () => {
    for (let i = 0; i < n; i++) {
      await gate.wait();
      times.push(clock.now());
    }
  })();
  return { times, done };
}

describe('PaceGate', () => {
  it('lets steps through at once when unpaced', async () => {
    const { clock } = fakeClock();
    const gate = new PaceGate(clock);
    const { times, done } = passes(gate, clock, 5);
    await done;
    expect(times).toEqual([0, 0, 0, 0, 0]);
  });

  it('spaces steps by 1 / stepsPerSecond', async () => {
    const { clock, advance } = fakeClock();
    const gate = new PaceGate(clock);
    gate.set({ stepsPerSecond: 10, paused: false });
    const { times } = passes(gate, clock, 3);
    await flush();
    expect(times).toEqual([0]);
    await advance(50);
    expect(times).toEqual([0]);
    await advance(50);
    expect(times).toEqual([0, 100]);
    await advance(100);
    expect(times).toEqual([0, 100, 200]);
  });

  it('holds while paused, lets one step through per stepOnce, and resumes on play', async () => {
    const { clock, advance } = fakeClock();
    const gate = new PaceGate(clock);
    gate.set({ stepsPerSecond: null, paused: true });
    const { times, done } = passes(gate, clock, 4);
    await advance(1000);
    expect(times).toEqual([]);
    gate.stepOnce();
    await flush();
    expect(times).toEqual([1000]);
    await advance(1000);
    expect(times).toEqual([1000]);
    gate.stepOnce();
    await flush();
    expect(times).toHaveLength(2);
    gate.set({ stepsPerSecond: null, paused: false });
    await done;
    expect(times).toHaveLength(4);
  });

  it('re-reads a changed rate while waiting', async () => {
    const { clock, advance } = fakeClock();
    const gate = new PaceGate(clock);
    gate.set({ stepsPerSecond: 1, paused: false });
    const { times } = passes(gate, clock, 2);
    await flush();
    await advance(10);
    expect(times).toEqual([0]);
    gate.set({ stepsPerSecond: 50, paused: false });
    await advance(10);
    expect(times).toEqual([0, 20]);
  });

  it('release lets every wait through (a stop), reset closes it again', async () => {
    const { clock } = fakeClock();
    const gate = new PaceGate(clock);
    gate.set({ stepsPerSecond: null, paused: true });
    const { times, done } = passes(gate, clock, 3);
    gate.release();
    await done;
    expect(times).toHaveLength(3);
    gate.reset();
    const again = passes(gate, clock, 1);
    await flush();
    expect(again.times).toEqual([]);
    gate.release();
    await again.done;
  });

  it('isPace accepts only a boolean pause and a positive finite rate or null', () => {
    expect(isPace({ stepsPerSecond: null, paused: false })).toBe(true);
    expect(isPace({ stepsPerSecond: 3, paused: true })).toBe(true);
    for (const bad of [null, {}, { stepsPerSecond: 0, paused: false }, { stepsPerSecond: -1, paused: false }, { stepsPerSecond: Infinity, paused: false }, { stepsPerSecond: 3 }]) {
      expect(isPace(bad)).toBe(false);
    }
  });
});
