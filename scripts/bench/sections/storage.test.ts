import { describe, expect, it } from 'vitest';
import { storageRow, storageVerdicts } from './storage';

describe('storageRow', () => {
  it('reports commit throughput over raw put throughput, and the IndexedDB part alone', () => {
    const row = storageRow({
      backend: 'cpu', model: 'digits-mlp', status: 'ok',
      result: { bytes: 2e6, tensorCount: 3, commitMs: [20, 20, 20], commitInThreadMs: [16, 15, 15], encodeMs: [5, 5, 5], rawStrictMs: [12, 12, 12], rawRelaxedMs: [8, 8, 8], rawGetPutMs: [14, 14, 14] },
    });
    expect(row.ratio).toBeCloseTo(0.6, 12);
    expect(row.inThreadMs).toBe(15);
    expect(row.inThreadRatio).toBeCloseTo(0.8, 12);
    expect(row.idbRatio).toBeCloseTo(12 / 15, 12);
    expect(row.commitMBps).toBeCloseTo(100, 9);
    expect(row.rawRelaxedMBps).toBeCloseTo(250, 9);
    expect(row.meetsTarget).toBe(false);
    const [verdict] = storageVerdicts([row]);
    expect(verdict.target).toBe('commit ≥ 0.8 × raw put throughput (digits-mlp, 1.9 MiB)');
    expect(verdict.met).toBe(false);
    expect(verdict.detail).toBe('0.600 (commit 20 ms, of which packing 5 ms, vs raw put 12 ms; IndexedDB part alone 0.800; raw get-then-put 14 ms)');
  });

  it('keeps a failed model as a row without figures or verdict', () => {
    const row = storageRow({ backend: 'cpu', model: 'digits-cnn', status: 'error', note: 'boom' });
    expect(row.commitMs).toBeNaN();
    expect(row.meetsTarget).toBe(false);
    expect(storageVerdicts([row])).toEqual([]);
  });
});
