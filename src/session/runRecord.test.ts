import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { InvalidInputError } from '../core/errors';
import { tensorLeaf, type TensorLeaf } from '../core/tree';
import { CheckpointManager } from '../checkpoint/manager';
import { findInterruptedRun, getRunRecord, listRunRecords, putRunRecord, type RunRecord, type RunStatus } from './runRecord';
import { createStrictStore } from '../checkpoint/store';

let dbCount = 0;
const freshStore = () => createStrictStore(`record-test-${dbCount++}`);

const record = (runId: string, status: RunStatus, createdAtMs: number): RunRecord => ({
  runId, config: DEFAULT_CONFIG, status, createdAtMs, updatedAtMs: createdAtMs,
});

async function withCheckpoint(store: ReturnType<typeof freshStore>, runId: string) {
  const m = new CheckpointManager({ store, runId, maxToKeep: 1, saveEverySteps: 1, fingerprint: {} });
  await m.save(1, { model: { w: tensorLeaf(new Float32Array([1]), [1]) }, optimizer: {}, pipeline: {} },
    { backend: 'cpu', adapter: '', losses: [1], savedAtMs: 0 });
}

describe('run records', () => {
  it('round-trip with every field, typed arrays staying typed arrays', async () => {
    const store = freshStore();
    const full: RunRecord = {
      ...record('r1', 'finished', 5), referenceLosses: [1, 0.5, NaN], crashAtStep: 30, backend: 'webgpu', adapter: 'swiftshader',
      verdict: { maxLossDiff: 0, maxParamDiff: 0, firstDivergentStep: null },
      referenceParams: { dense_0: { kernel: tensorLeaf(new Float32Array([-0, 1.5]), [1, 2]) } },
    };
    await putRunRecord(store, full);
    const got = await getRunRecord(store, 'r1');
    expect(got).toEqual(full);
    const kernel = (got!.referenceParams!.dense_0 as { kernel: TensorLeaf }).kernel;
    expect(kernel.data).toBeInstanceOf(Float32Array);
    expect(Object.is(kernel.data[0], -0)).toBe(true);
    expect(await getRunRecord(store, 'nope')).toBeUndefined();
  });

  it('refuses a run id that does not fit the key layout', async () => {
    await expect(putRunRecord(freshStore(), record('a/b', 'training', 0))).rejects.toThrow(InvalidInputError);
  });

  it('lists every run newest first, skipping checkpoints and manifests', async () => {
    const store = freshStore();
    await putRunRecord(store, record('old', 'finished', 1));
    await putRunRecord(store, record('new', 'training', 3));
    await putRunRecord(store, record('mid', 'resumed', 2));
    await withCheckpoint(store, 'new');
    expect((await listRunRecords(store)).map((r) => r.runId)).toEqual(['new', 'mid', 'old']);
  });
});

describe('findInterruptedRun', () => {
  it('picks the newest run still training that has a checkpoint', async () => {
    const store = freshStore();
    expect(await findInterruptedRun(store)).toBeUndefined();
    await putRunRecord(store, record('older-training', 'training', 1));
    await putRunRecord(store, record('newest-training-no-ckpt', 'training', 4));
    await putRunRecord(store, record('finished-with-ckpt', 'finished', 3));
    await putRunRecord(store, record('newer-training', 'training', 2));
    expect(await findInterruptedRun(store)).toBeUndefined();
    for (const id of ['older-training', 'finished-with-ckpt', 'newer-training']) await withCheckpoint(store, id);
    expect((await findInterruptedRun(store))?.runId).toBe('newer-training');
  });
});
