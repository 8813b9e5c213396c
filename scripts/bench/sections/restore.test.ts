import { describe, expect, it } from 'vitest';
import type { RestoreResult } from '../../../src/harness/bench/protocol';
import { restoreRow } from './restore';

/** A restore whose phases take `scale` × 1, 2, 3, ... ms from a page origin at 1000. */
const result = (scale: number, managerRestoreMs: number): RestoreResult => {
  const names = ['apiInstalled', 'workerCreated', 'workerReady', 'requestReceived', 'backendReady', 'dataReady', 'templateReady', 'read', 'verified', 'loaded', 'firstStep', 'secondStep'] as const;
  const marks = { pageOrigin: 1000, workerOrigin: 0 } as RestoreResult['marks'];
  let t = 1000;
  names.forEach((n, i) => { t += scale * (i + 1); marks[n] = t; });
  return { report: { backend: 'wasm', adapter: '' } as RestoreResult['report'], step: 5, bytes: 4096, marks, managerRestoreMs };
};

describe('restoreRow', () => {
  it('takes the median of each phase between its two marks over the page loads', () => {
    const row = restoreRow({ backend: 'wasm', model: 'spirals-mlp', results: [result(1, 3), result(2, 1), result(10, 2)] });
    expect(row.reps).toBe(3);
    expect(row.bytes).toBe(4096);
    expect(row.pageLoadMs).toBe(2);
    // requestReceived − workerCreated: phases 3 and 4.
    expect(row.workerStartMs).toBe(2 * (3 + 4));
    expect(row.readMs).toBe(2 * 8);
    expect(row.verifyMs).toBe(2 * 9);
    expect(row.secondStepMs).toBe(2 * 12);
    // firstStep − pageOrigin: phases 1 to 11.
    expect(row.totalMs).toBe(2 * 66);
    expect(row.managerRestoreMs).toBe(2);
  });
});
