import { describe, expect, it } from 'vitest';
import { growthRow } from './growth';

describe('growthRow', () => {
  it('sums read, verify and load into the restore time and rates the commit against the raw put', () => {
    const row = growthRow({
      hidden: [10, 10], params: 1000, bytes: 4e6, stepMs: 1,
      snapshotMs: [1, 2, 3], encodeMs: [1, 1, 1], commitMs: [40, 40, 40], readMs: [3, 3, 3], verifyMs: [2, 2, 2], loadMs: [1, 1, 9],
      managerRestoreMs: [5, 5, 5], rawPutMs: [20, 20, 20], copyMs: [0.5, 0.5, 0.5], checksumMs: [0.5, 0.5, 0.5],
    });
    expect(row.restoreMs).toBe(6);
    expect(row.snapshotMs).toBe(2);
    expect(row.commitOverRaw).toBe(0.5);
    expect(row.commitMBps).toBeCloseTo(100, 9);
    expect(row.rawMBps).toBeCloseTo(200, 9);
    expect(row.managerRestoreMs).toBe(5);
  });
});
