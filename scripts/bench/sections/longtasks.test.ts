import { describe, expect, it } from 'vitest';
import { longTaskRow, longTaskVerdicts, type LongTaskRun } from './longtasks';

const run = (longTasksMs: number[], over: Partial<LongTaskRun> = {}): LongTaskRun => ({
  runMs: 4000, longTasksMs, frames: [], atLoad: 0, renders: { commits: { 'loss-frame': 2, 'loss-layer': 40 }, eventBatches: 0, stepEvents: 0, publishes: 0 }, ...over,
});

describe('longTaskRow', () => {
  it('counts long tasks per run and ranks the scripts of long frames by total time', () => {
    const frame = (scripts: Array<[string, string, number]>) => ({ startMs: 0, durationMs: 60, blockingMs: 10, scripts: scripts.map(([invoker, source, durationMs]) => ({ invoker, source, durationMs })) });
    const row = longTaskRow({
      backend: 'wasm', query: 'backend=wasm', steps: 800, runs: [
        run([], { runMs: 3000 }),
        run([70, 55], { frames: [frame([['MessagePort.onmessage', 'a.js:f', 30]]), frame([])] }),
        run([90], { runMs: 5000, frames: [frame([['MessagePort.onmessage', 'a.js:f', 25], ['FrameRequestCallback', 'b.js:g', 40]])] }),
      ],
    });
    expect(row.reps).toBe(3);
    expect(row.runMsMedian).toBe(4000);
    expect(row.countMedian).toBe(1);
    expect(row.countMax).toBe(2);
    expect(row.runsWithNone).toBe(1);
    expect(row.longestMs).toBe(90);
    expect(row.framesWithoutScript).toBe(1);
    expect(row.topScripts).toEqual([
      { script: 'MessagePort.onmessage (a.js:f)', totalMs: 55 },
      { script: 'FrameRequestCallback (b.js:g)', totalMs: 40 },
    ]);
    expect(row.lossFrameCommits).toBe(2);
    expect(row.lossLayerCommits).toBe(40);
    const [verdict] = longTaskVerdicts([row]);
    expect(verdict.met).toBe(false);
    expect(verdict.detail).toBe('1 of 3 runs had none; per run median 1, most 2; longest 90 ms');
  });

  it('meets the target only when no run had a long task', () => {
    const row = longTaskRow({ backend: 'webgpu', query: 'backend=webgpu', steps: 120, runs: [run([]), run([])] });
    expect(row.longestMs).toBe(0);
    expect(longTaskVerdicts([row])[0].met).toBe(true);
  });
});
