import 'fake-indexeddb/auto';
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../core/errors';
import { tensorLeaf, type TensorLeaf, type TrainState } from '../core/tree';
import { encodeRecord } from './format';
import type { RpcEndpoint, RpcRequest, RpcScope } from '../core/rpc';
import type { CommitPlan } from './commit';
import { CheckpointManager, type SaveMeta } from './manager';
import { listCheckpoints, restoreCheckpoint } from './reader';
import { createStrictStore, runKeys } from './store';
import { serveCommits, workerCommitter, type WriterApi } from './writer';

type WriterRequest = RpcRequest<WriterApi>;

let dbCount = 0;
const FP = { dataset: 'digits', hidden: '128', batch: 32 };
const META: SaveMeta = { backend: 'cpu', adapter: '', losses: [2.3], savedAtMs: 5 };
const ports: MessagePort[] = [];
afterEach(() => { for (const p of ports.splice(0)) p.close(); });

/** A state of `floats` float32 values whose bits a lossy path would change. */
function state(floats: number, fill = 1): TrainState {
  const w = new Float32Array(floats);
  for (let i = 0; i < floats; i++) w[i] = Math.fround((i * 0.37 - 11) * fill) || -0;
  return { model: { dense_0: { kernel: tensorLeaf(w, [floats]) } }, optimizer: { step: fill }, pipeline: { cursor: 3 } };
}
/** Float32 values in a checkpoint large enough that IndexedDB stores it outside the value (64 KiB). */
const BIG = 64 * 1024 / 4;
const bitsOf = (s: TrainState) => Array.from(new Uint32Array(((s.model.dense_0 as { kernel: TensorLeaf }).kernel.data.slice()).buffer));

/**
 * A writer "worker" in this thread over a MessageChannel: the same messages,
 * structured clone and buffer transfer as a real one. `sabotage` may throw
 * from inside the worker's transactions (a full disk).
 */
function writerPair(dbName: string, sabotage: (method: string, key: unknown) => void = () => undefined) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const requests: WriterRequest[] = [];
  const inner = createStrictStore(dbName);
  const workerStore: UseStore = (mode, cb) => inner(mode, (os) => cb(new Proxy(os, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      return typeof v !== 'function' ? v : (...args: unknown[]) => {
        sabotage(String(prop), prop === 'put' || prop === 'add' ? args[1] : args[0]);
        return v.apply(target, args);
      };
    },
  })));
  const scope = port2 as unknown as RpcScope;
  serveCommits(scope, () => workerStore);
  const spied = port2 as unknown as { onmessage: ((e: MessageEvent<WriterRequest>) => void) | null };
  const serve = spied.onmessage!;
  spied.onmessage = (e) => { requests.push(e.data); serve(e); };
  const endpoint = port1 as unknown as RpcEndpoint;
  return { endpoint, requests };
}

function setup(sabotage?: (method: string, key: unknown) => void) {
  const dbName = `writer-test-${dbCount++}`;
  const store = createStrictStore(dbName);
  const { endpoint, requests } = writerPair(dbName, sabotage);
  const committer = workerCommitter(endpoint, dbName, store);
  const manager = (maxToKeep = 2) => new CheckpointManager({ store, runId: 'run1', maxToKeep, saveEverySteps: 10, fingerprint: FP, committer });
  const steps = async () => (await listCheckpoints(store, 'run1')).map((c) => c.step);
  const restore = (step: number, template: TrainState) => restoreCheckpoint(store, 'run1', step, template, FP);
  return { store, endpoint, requests, committer, manager, steps, restore };
}

describe('committing in a writer worker', () => {
  it('sends every checkpoint to the writer, large or small, and they restore bit-exactly', async () => {
    const { requests, manager, steps, restore } = setup();
    const m = manager();
    await m.save(10, state(BIG, 1), META);
    await m.save(20, state(8, 2), META);
    await m.save(30, state(BIG, 3), META);
    expect(requests.map((r) => r.params.plan.record.meta.step)).toEqual([10, 20, 30]);
    expect(requests.every((r) => r.method === 'commit' && r.params.dbName.startsWith('writer-test-'))).toBe(true);
    expect(await steps()).toEqual([20, 30]);
    expect(bitsOf((await restore(30, state(BIG, 0))).state)).toEqual(bitsOf(state(BIG, 3)));
    expect(bitsOf((await restore(20, state(8, 0))).state)).toEqual(bitsOf(state(8, 2)));
  });

  it('carries the cached manifest in each plan: only the first one is unknown', async () => {
    const { requests, manager } = setup();
    const m = manager();
    for (const step of [10, 20, 30]) await m.save(step, state(BIG, step), META);
    expect(requests.map((r) => r.params.plan.manifest === null ? null : r.params.plan.manifest?.checkpoints.map((c) => c.step) ?? 'none')).toEqual([null, [10], [10, 20]]);
  });

  it('transfers the packed bytes instead of copying them', async () => {
    const { requests, committer } = setup();
    const record = encodeRecord(state(BIG), { ...META, step: 10, runId: 'run1', fingerprint: FP });
    const plan: CommitPlan = { runId: 'run1', record, manifest: undefined, maxToKeep: 1, fingerprint: FP, holdOpenMs: null };
    const committed = committer.commit(plan, () => undefined);
    expect(record.data.byteLength).toBe(0);
    expect((await committed).checkpoints.map((c) => c.step)).toEqual([10]);
    // The reply hands the bytes back (for the next save to pack into), leaving the worker's copy detached.
    expect(record.data.byteLength).toBe(BIG * 4);
    expect(requests[0].params.plan.record.data.byteLength).toBe(0);
  });

  it('revives a full disk in the writer as StorageFullError, and the cache does not advance', async () => {
    let full = false;
    const { store, manager, steps } = setup((method, key) => {
      if (full && method === 'put' && key === runKeys('run1').manifest) throw new DOMException('quota', 'QuotaExceededError');
    });
    const m = manager();
    await m.save(10, state(BIG, 1), META);
    await m.save(20, state(BIG, 2), META);
    full = true;
    await expect(m.save(30, state(BIG, 3), META)).rejects.toThrow(StorageFullError);
    await expect(m.waitUntilFinished()).rejects.toThrow(/checkpoint at step 30 was not written; earlier checkpoints are intact/);
    full = false;
    await m.save(40, state(BIG, 4), META);
    expect(await steps()).toEqual([20, 40]);
    const keys = await store('readonly', (os) => promisifyRequest(os.getAllKeys()));
    // 40 overwrote 10's slot, as the committed manifest (not the failed write's) said.
    const k = runKeys('run1');
    expect(keys.filter((key) => String(key).includes('/slot/'))).toEqual([k.slotData(0), k.slotHeader(0), k.slotData(1), k.slotHeader(1)]);
  });

  it('holds a transaction open in the writer and reports when it is open (the crash-during-write demo)', async () => {
    const { manager, steps } = setup();
    const m = manager();
    const opened: number[] = [];
    m.holdNextWriteOpen((step) => opened.push(step), 30);
    await m.save(10, state(BIG), META);
    expect(opened).toEqual([10]);
    expect(await steps()).toEqual([10]);
  });

  it('rejects a commit it could not post, and forgets it', async () => {
    const dbName = `writer-test-${dbCount++}`;
    const endpoint: RpcEndpoint = { onmessage: null, postMessage: () => { throw new DOMException('could not clone', 'DataCloneError'); } };
    const store = createStrictStore(dbName);
    const m = new CheckpointManager({ store, runId: 'run1', maxToKeep: 1, saveEverySteps: 1, fingerprint: FP, committer: workerCommitter(endpoint, dbName, store) });
    await expect(m.save(10, state(BIG), META)).rejects.toThrow(/could not clone/);
    await expect(m.waitUntilFinished()).rejects.toThrow(/could not clone/);
    expect(await listCheckpoints(store, 'run1')).toEqual([]);
  });

  it('gives up on a writer whose reply cannot be read: the waiting commit fails, the worker is stopped, later ones run here', async () => {
    const dbName = `writer-test-${dbCount++}`;
    let terminated = 0;
    const endpoint: RpcEndpoint = { onmessage: null, postMessage: () => undefined, terminate: () => { terminated++; } };
    const store = createStrictStore(dbName);
    const m = new CheckpointManager({ store, runId: 'run1', maxToKeep: 2, saveEverySteps: 1, fingerprint: FP, committer: workerCommitter(endpoint, dbName, store) });
    const first = m.save(10, state(BIG, 1), META);
    await new Promise((r) => setTimeout(r, 0));
    endpoint.onmessageerror!(new MessageEvent('messageerror'));
    await expect(first).rejects.toThrow(/reply from the checkpoint writer worker could not be read; this checkpoint was not written/);
    expect(terminated).toBe(1);
    await m.save(20, state(BIG, 2), META);
    expect((await listCheckpoints(store, 'run1')).map((c) => c.step)).toEqual([20]);
  });

  it('falls back to this thread when the writer worker fails, failing only what it had in hand', async () => {
    const { endpoint, requests, manager, steps } = setup();
    const m = manager();
    await m.save(10, state(BIG, 1), META);
    endpoint.onerror!({ message: 'boom', preventDefault: () => undefined } as ErrorEvent);
    await m.save(20, state(BIG, 2), META);
    expect(requests).toHaveLength(1);
    expect(await steps()).toEqual([10, 20]);
  });
});
