import 'fake-indexeddb/auto';
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { CheckpointCorruptError, CheckpointNotFoundError, InvalidInputError, StorageFullError, StructureMismatchError } from '../core/errors';
import { tensorLeaf, type TensorLeaf, type TrainState, type Tree } from '../core/tree';
import type { Manifest } from './commit';
import { decodeCheckpointFile } from './file';
import type { CheckpointRecord } from './format';
import { CheckpointManager, deleteRun, listRunIds, type SaveMeta } from './manager';
import { exportCheckpoint, inspectCheckpoint, listCheckpoints, restoreCheckpoint } from './reader';
import { createStrictStore, runKeys } from './store';

let dbCount = 0;
const freshStore = () => createStrictStore(`manager-test-${dbCount++}`);
const FP = { dataset: 'spirals', hidden: '2x4', batch: 32 };
const META: SaveMeta = { backend: 'cpu', adapter: '', losses: [0.9, 0.8], savedAtMs: 1000 };

/** A run's writer (the manager) with its reader functions bound to the same store and run, as one handle for these tests. */
function manager(store: UseStore, options: Partial<ConstructorParameters<typeof CheckpointManager>[0]> = {}) {
  const o = { store, runId: 'run1', maxToKeep: 3, saveEverySteps: 10, fingerprint: FP, ...options };
  const list = () => listCheckpoints(store, o.runId);
  return Object.assign(new CheckpointManager(o), {
    list,
    allSteps: async () => (await list()).map((c) => c.step),
    latestStep: async () => (await list()).at(-1)?.step,
    restore: (step: number, template: TrainState, fingerprint = o.fingerprint) => restoreCheckpoint(store, o.runId, step, template, fingerprint),
    inspect: (step: number) => inspectCheckpoint(store, o.runId, step),
    exportCheckpoint: (step: number) => exportCheckpoint(store, o.runId, step),
  });
}

/** A small state whose kernel holds float32 values that only a bit-exact path preserves. */
function state(fill = 0): TrainState {
  const kernel = new Float32Array(new Uint32Array([0x80000000, 0x7fc12345, 0x00000001, 0x807fffff, 0x7f800000, 0x3f800000 + fill, 0xff800000, fill]).buffer);
  return {
    model: { dense_0: { kernel: tensorLeaf(kernel, [2, 4]), bias: tensorLeaf(new Float32Array([fill, -fill]), [2]) } },
    optimizer: { step: fill, slots: {} },
    pipeline: { cursor: -0, order: tensorLeaf(new Int32Array([3, 1, 2]), [3]) },
  };
}

const kernelOf = (s: TrainState) => ((s.model.dense_0 as Tree).kernel as TensorLeaf);
const bits = (leaf: TensorLeaf) => Array.from(new Uint32Array(leaf.data.buffer, leaf.data.byteOffset, leaf.data.byteLength / 4));
const rawKeys = (store: UseStore) => store('readonly', (os) => promisifyRequest(os.getAllKeys()));
const rawGet = <T>(store: UseStore, key: string) => store('readonly', (os) => promisifyRequest<T>(os.get(key)));
const rawPut = (store: UseStore, key: string, value: unknown) => store('readwrite', (os) => {
  os.put(value, key);
  return promisifyRequest(os.transaction);
});

/** Keys of stored checkpoint payloads (slots). */
const payloadKeys = async (store: UseStore) => (await rawKeys(store)).map(String).filter((k) => k.includes('/slot/'));
/** The keys of the given slots of a run, in the order getAllKeys lists them. */
const slotKeys = (slots: number[], runId = 'run1') => slots.flatMap((s) => [runKeys(runId).slotData(s), runKeys(runId).slotHeader(s)]);

/** The stored checkpoint at `step` (its slot's header and bytes joined into one record) and a way to write it back there. */
async function storedRecord(store: UseStore, step: number, runId = 'run1') {
  const keys = runKeys(runId);
  const slot = (await rawGet<Manifest>(store, keys.manifest)).checkpoints.find((c) => c.step === step)!.slot!;
  const header = await rawGet<Omit<CheckpointRecord, 'data'>>(store, keys.slotHeader(slot));
  const record: CheckpointRecord = { ...header, data: await rawGet<ArrayBuffer>(store, keys.slotData(slot)) };
  const writeBack = async () => {
    const { data, ...rest } = record;
    await rawPut(store, keys.slotHeader(slot), rest);
    await rawPut(store, keys.slotData(slot), data);
  };
  return { record, slot, writeBack };
}

/** Wraps a store so tests can watch (and sabotage) the object store every transaction gets. */
function spyStore(inner: UseStore, onCall: (method: string, key: unknown) => void): UseStore {
  return (mode, callback) => inner(mode, (os) => callback(new Proxy(os, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        onCall(String(prop), prop === 'put' || prop === 'add' ? args[1] : args[0]);
        return v.apply(target, args);
      };
    },
  })));
}

describe('CheckpointManager save and restore', () => {
  it('round-trips a state bit-exactly into fresh arrays laid out like the template', async () => {
    const store = freshStore();
    const m = manager(store);
    const saved = state(1);
    const info = await m.save(10, saved, META);
    expect(info).toMatchObject({ step: 10, tensorCount: 3, savedAtMs: 1000 });
    const template = state(0);
    const { state: got, meta } = await m.restore(10, template, FP);
    expect(bits(kernelOf(got))).toEqual(bits(kernelOf(saved)));
    expect((got.pipeline.order as TensorLeaf).data).toEqual(new Int32Array([3, 1, 2]));
    expect(Object.is(got.pipeline.cursor, -0)).toBe(true);
    expect(got.optimizer).toEqual({ step: 1, slots: {} });
    expect(kernelOf(got).data.buffer).not.toBe(kernelOf(saved).data.buffer);
    expect(kernelOf(got).data.buffer).not.toBe(kernelOf(template).data.buffer);
    expect(meta).toEqual({ step: 10, runId: 'run1', fingerprint: FP, ...META });
  });

  it('stores what the arrays held when save was called, even if the caller mutates them at once', async () => {
    const store = freshStore();
    const m = manager(store);
    const s = state(1);
    const pending = m.save(10, s, META);
    kernelOf(s).data.fill(7);
    (s.pipeline.order as TensorLeaf).data[0] = 99;
    await pending;
    const { state: got } = await m.restore(10, state(), FP);
    expect(bits(kernelOf(got))).toEqual(bits(kernelOf(state(1))));
    expect((got.pipeline.order as TensorLeaf).data[0]).toBe(3);
  });

  it('re-saving a step replaces it', async () => {
    const m = manager(freshStore());
    await m.save(10, state(1), META);
    await m.save(10, state(2), META);
    expect(await m.allSteps()).toEqual([10]);
    expect((await m.restore(10, state())).state.optimizer.step).toBe(2);
  });

  it('rejects a bad step without writing anything', async () => {
    const store = freshStore();
    await expect(manager(store).save(-1, state(), META)).rejects.toThrow(InvalidInputError);
    expect(await rawKeys(store)).toEqual([]);
  });
});

describe('restore refuses bad checkpoints and returns nothing', () => {
  it('names every mismatching path and the fingerprint field, leaving the template untouched', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(10, state(1), META);
    const template = state(0);
    (template.model.dense_0 as Tree).kernel = tensorLeaf(new Float32Array(16), [2, 8]);
    (template.pipeline as Tree).order = tensorLeaf(new Float32Array(3), [3]);
    (template.model as Tree).dense_1 = { kernel: tensorLeaf(new Float32Array(2), [2, 1]) };
    delete (template.model.dense_0 as Tree).bias;
    const before = structuredClone(template);
    const err = await m.restore(10, template, { ...FP, hidden: '2x8' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StructureMismatchError);
    const msg = (err as Error).message;
    expect(msg).toContain('model/dense_0/kernel: shape [2,4] in checkpoint, [2,8] in template');
    expect(msg).toContain('pipeline/order: dtype int32 in checkpoint, float32 in template');
    expect(msg).toContain('model/dense_1/kernel: missing from checkpoint');
    expect(msg).toContain('model/dense_0/bias: tensor float32 [2] in checkpoint, not in template');
    expect(msg).toContain('fingerprint.hidden: "2x4" in checkpoint, "2x8" in template');
    expect((err as StructureMismatchError).details.problems).toHaveLength(5);
    expect(template).toEqual(before);
  });

  it('catches a single flipped bit in a stored payload and names step and tensor', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    const { record, writeBack } = await storedRecord(store, 20);
    const kernel = record.tensors.find((t) => t.path === 'model/dense_0/kernel')!;
    new Uint8Array(record.data, kernel.offset, kernel.length)[13] ^= 0x04;
    await writeBack();
    await expect(m.restore(20, state())).rejects.toThrow(CheckpointCorruptError);
    await expect(m.restore(20, state())).rejects.toThrow(/step 20 .*model\/dense_0\/kernel failed its checksum/);
    expect((await m.inspect(20)).tensors.map((t) => [t.path, t.checksumOk])).toEqual([
      ['model/dense_0/bias', true], ['model/dense_0/kernel', false], ['pipeline/order', true],
    ]);
    await expect(m.exportCheckpoint(20)).rejects.toThrow(CheckpointCorruptError);
  });

  it('catches a changed number leaf (no CRC of its own) through the manifest digest', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    const { record, writeBack } = await storedRecord(store, 20);
    const cursor = record.numbers.find((n) => n.path === 'optimizer/step')!;
    cursor.value += 1;
    await writeBack();
    await expect(m.restore(20, state())).rejects.toThrow(CheckpointCorruptError);
    await expect(m.restore(20, state())).rejects.toThrow(/step 20 does not match the digest/);
  });

  it('catches truncated tensor bytes', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    const { record, writeBack } = await storedRecord(store, 20);
    const order = record.tensors[2];
    record.data = record.data.slice(0, order.offset + 8);
    await writeBack();
    await expect(m.restore(20, state())).rejects.toThrow(/step 20 .*pipeline\/order is truncated: only 8 of its 12 bytes/);
    expect((await m.inspect(20)).tensors.map((t) => t.checksumOk)).toEqual([true, true, false]);
  });

  it('refuses a payload stored under another step', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    // A manifest entry for step 30 that points at step 20's slot.
    const key = runKeys('run1').manifest;
    const manifest = await rawGet<Manifest>(store, key);
    await rawPut(store, key, { ...manifest, checkpoints: [...manifest.checkpoints, { ...manifest.checkpoints[0], step: 30 }] });
    await expect(manager(store).restore(30, state())).rejects.toThrow(/stored as step 30 says it is step 20/);
  });

  it('names a listed checkpoint whose payload is gone as corrupt, not as missing', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    await store('readwrite', (os) => { os.delete(runKeys('run1').slotHeader(0)); os.delete(runKeys('run1').slotData(0)); return promisifyRequest(os.transaction); });
    await expect(m.restore(20, state())).rejects.toThrow(CheckpointCorruptError);
    await expect(m.restore(20, state())).rejects.toThrow(/step 20 is listed in run run1's manifest but its payload is missing/);
  });

  it('refuses a slot whose bytes are missing, naming the step', async () => {
    const store = freshStore();
    const m = manager(store);
    await m.save(20, state(1), META);
    await store('readwrite', (os) => { os.delete(runKeys('run1').slotData(0)); return promisifyRequest(os.transaction); });
    await expect(m.restore(20, state())).rejects.toThrow(/step 20 is corrupt: its tensor data is missing/);
  });

  it('reports a missing step with the steps that exist', async () => {
    const m = manager(freshStore());
    await expect(m.restore(10, state())).rejects.toThrow(/no checkpoint at step 10; available steps: none/);
    await m.save(10, state(), META);
    await m.save(20, state(), META);
    const err = await m.restore(15, state()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointNotFoundError);
    expect((err as Error).message).toContain('available steps: 10, 20');
  });
});

describe('packing into the last committed buffer', () => {
  it('reuses one buffer for same-size saves once the previous one committed, and restores each bit-exactly', async () => {
    const seen: ArrayBuffer[] = [];
    const base = freshStore();
    const watched: UseStore = (mode, cb) => base(mode, (os) => cb(new Proxy(os, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop !== 'put' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
        return (value: unknown, key: IDBValidKey) => {
          if (value instanceof ArrayBuffer) seen.push(value);
          return v.call(target, value, key);
        };
      },
    })));
    const m = manager(watched);
    for (const step of [10, 20, 30]) await m.save(step, state(step), META);
    // A differently shaped state cannot use it: a fresh buffer, which becomes the spare.
    await m.save(40, { ...state(40), pipeline: { cursor: 1 } }, META);
    expect(seen).toHaveLength(4);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).not.toBe(seen[0]);
    for (const step of [20, 30]) {
      const { state: got } = await m.restore(step, state());
      expect(bits(kernelOf(got))).toEqual(bits(kernelOf(state(step))));
    }
  });
});

describe('retention and listing', () => {
  it('keeps exactly the newest maxToKeep payloads, and the manifest agrees', async () => {
    const store = freshStore();
    const m = manager(store);
    for (const step of [10, 20, 30, 40, 50]) await m.save(step, state(step), META);
    // Each save overwrites the slot of the checkpoint it prunes: three slots, no more.
    expect(await payloadKeys(store)).toEqual(slotKeys([0, 1, 2]));
    const manifest = await rawGet<Manifest>(store, runKeys('run1').manifest);
    expect(manifest.checkpoints.map((c) => [c.step, c.slot])).toEqual([[30, 2], [40, 0], [50, 1]]);
    for (const c of manifest.checkpoints) expect((await storedRecord(store, c.step)).record.meta.step).toBe(c.step);
    expect(manifest.fingerprint).toEqual(FP);
    expect(await m.allSteps()).toEqual([30, 40, 50]);
    expect(await m.latestStep()).toBe(50);
    expect((await m.list()).map((c) => c.step)).toEqual([30, 40, 50]);
  });

  it('lists from the manifest only, never reading a payload', async () => {
    const reads: unknown[] = [];
    const store = spyStore(freshStore(), (method, key) => { if (method.startsWith('get')) reads.push(key); });
    const m = manager(store);
    expect(await m.latestStep()).toBeUndefined();
    await m.save(10, state(), META);
    await m.save(20, state(), META);
    reads.length = 0;
    expect(await m.allSteps()).toEqual([10, 20]);
    expect(await m.latestStep()).toBe(20);
    expect(await m.list()).toHaveLength(2);
    expect(reads).toEqual(Array(3).fill(runKeys('run1').manifest));
  });

  it('serializes writes in call order when saves are not awaited', async () => {
    const events: string[] = [];
    const inner = spyStore(freshStore(), (method, key) => { if (['add', 'put', 'delete'].includes(method)) events.push(`${method} ${String(key).slice(9)}`); });
    const store: UseStore = async (mode, cb) => {
      if (mode === 'readwrite') events.push('begin');
      try {
        return await inner(mode, cb);
      } finally {
        if (mode === 'readwrite') events.push('end');
      }
    };
    const m = manager(store, { maxToKeep: 2 });
    const done: number[] = [];
    const saves = [10, 20, 30].map((s) => m.save(s, state(s), META).then((info) => done.push(info.step)));
    await m.waitUntilFinished();
    await Promise.all(saves);
    expect(events).toEqual([
      'begin', 'add gen/0000000001', 'put slot/0/data', 'put slot/0/header', 'put manifest', 'end',
      'begin', 'add gen/0000000002', 'put slot/1/data', 'put slot/1/header', 'put manifest', 'end',
      // 30 prunes 10 by overwriting its slot: no payload to delete.
      'begin', 'add gen/0000000003', 'put slot/0/data', 'put slot/0/header', 'put manifest', 'end',
    ]);
    expect(done).toEqual([10, 20, 30]);
    expect(await m.allSteps()).toEqual([20, 30]);
  });

  it('lists run ids and deletes one run completely, leaving the others', async () => {
    const store = freshStore();
    await manager(store, { runId: 'a' }).save(10, state(), META);
    await manager(store, { runId: 'b' }).save(10, state(), META);
    await rawPut(store, runKeys('a').record, { runId: 'a' });
    await rawPut(store, 'unrelated', 1);
    expect(await listRunIds(store)).toEqual(['a', 'b']);
    await deleteRun(store, 'a');
    // Run a leaves only its claim on generation 2, so a writer still building on generation 1 fails.
    expect(await rawKeys(store)).toEqual([runKeys('a').generation(2), runKeys('b').generation(1), runKeys('b').manifest, ...slotKeys([0], 'b'), 'unrelated']);
    await deleteRun(store, 'never-existed');
    expect(await listRunIds(store)).toEqual(['b']);
  });

  it('keeps every generation claim while the run exists, so a writer several commits behind is still caught', async () => {
    const base = freshStore();
    const m = manager(base);
    await m.save(10, state(), META);
    const other = manager(spyStore(base, () => undefined));
    for (const step of [20, 30, 40]) await other.save(step, state(), META);
    expect((await rawKeys(base)).filter((k) => String(k).includes('/gen/'))).toEqual([1, 2, 3, 4].map((g) => runKeys('run1').generation(g)));
    await expect(m.save(50, state(), META)).rejects.toMatchObject({ name: 'ConcurrentWriteError' });
    expect(await m.allSteps()).toEqual([20, 30, 40]);
  });
});

describe('the cached manifest', () => {

  it('is read only in the first write; later writes read nothing and claim the next generation first', async () => {
    const calls: string[] = [];
    const store = spyStore(freshStore(), (method, key) => { calls.push(`${method} ${String(key)}`); });
    const m = manager(store, { maxToKeep: 2 });
    const writes: string[][] = [];
    for (const step of [10, 20, 30, 40]) {
      calls.length = 0;
      await m.save(step, state(step), META);
      writes.push(calls.slice());
    }
    const keys = runKeys('run1');
    expect(writes[0].slice(0, 3)).toEqual([`get ${keys.manifest}`, `openKeyCursor ${String(keys.generationRange)}`, `add ${keys.generation(1)}`]);
    writes.slice(1).forEach((w, i) => {
      expect(w.filter((c) => c.startsWith('get') || c.startsWith('open'))).toEqual([]);
      expect(w[0]).toBe(`add ${keys.generation(i + 2)}`);
      expect(w.at(-1)).toBe(`put ${keys.manifest}`);
    });
    const manifest = await rawGet<Manifest>(store, keys.manifest);
    expect(manifest.checkpoints.map((c) => c.step)).toEqual([30, 40]);
    expect(manifest.generation).toBe(4);
    // A second manager of the run on the same store shares the cache (and the write queue).
    await manager(store, { maxToKeep: 2 }).save(50, state(), META);
    expect(await m.allSteps()).toEqual([40, 50]);
  });

  it('refuses to overwrite what another writer (a second tab) committed: nothing is written, the next save merges', async () => {
    const base = freshStore();
    const m = manager(base, { maxToKeep: 5 });
    await m.save(10, state(), META);
    await m.save(20, state(), META);
    // Another tab: the same database through a store of its own, so a cache of its own.
    const other = manager(spyStore(base, () => undefined), { maxToKeep: 5 });
    await other.save(25, state(25), META);
    const before = await rawKeys(base);
    await expect(m.save(30, state(), META)).rejects.toMatchObject({ name: 'ConcurrentWriteError' });
    await expect(m.waitUntilFinished()).rejects.toThrow(/changed by another writer .*checkpoint 30 was not written/);
    expect(await rawKeys(base)).toEqual(before);
    expect(await m.allSteps()).toEqual([10, 20, 25]);
    // The cache was dropped: the next write reads the stored manifest and builds on it.
    await m.save(40, state(), META);
    expect(await m.allSteps()).toEqual([10, 20, 25, 40]);
    expect((await m.restore(25, state())).state.optimizer.step).toBe(25);
    // And the other tab, now behind, is refused in turn.
    await expect(other.save(50, state(), META)).rejects.toMatchObject({ name: 'ConcurrentWriteError' });
  });

  it('catches a writer that builds on a run deleted elsewhere', async () => {
    const base = freshStore();
    const m = manager(base);
    await m.save(10, state(), META);
    await deleteRun(spyStore(base, () => undefined), 'run1');
    expect(await listRunIds(base)).toEqual([]);
    await expect(m.save(20, state(), META)).rejects.toMatchObject({ name: 'ConcurrentWriteError' });
    // Nothing lists the deleted checkpoint; the next save starts the run afresh.
    await m.save(30, state(), META);
    expect(await m.allSteps()).toEqual([30]);
  });

  it('picks up what an earlier session committed', async () => {
    const store = freshStore();
    await manager(store).save(10, state(), META);
    const later = manager(spyStore(store, () => undefined));
    await later.save(20, state(), META);
    expect(await later.allSteps()).toEqual([10, 20]);
  });

  it('does not advance on a failed transaction: the next write starts from what was committed', async () => {
    let failManifestPut = false;
    const store = spyStore(freshStore(), (method, key) => {
      if (method === 'put' && key === runKeys('run1').manifest && failManifestPut) {
        failManifestPut = false;
        throw new DOMException('quota', 'QuotaExceededError');
      }
    });
    const m = manager(store, { maxToKeep: 2 });
    await m.save(10, state(), META);
    await m.save(20, state(), META);
    failManifestPut = true;
    await expect(m.save(30, state(), META)).rejects.toThrow(StorageFullError);
    // Had the cache advanced to [20, 30], this save would prune 20 and list 30, whose payload never committed.
    await m.save(40, state(), META);
    // The failure made the cache unknown: the write after it built on what was committed.
    expect(await m.allSteps()).toEqual([20, 40]);
    expect(await payloadKeys(store)).toEqual(slotKeys([0, 1]));
    expect((await storedRecord(store, 40)).slot).toBe(0);
  });

  it('does not advance when a write is aborted mid-transaction (the crash-during-write hold)', async () => {
    const store = freshStore();
    const m = manager(store, { maxToKeep: 2 });
    await m.save(10, state(), META);
    m.holdNextWriteOpen(() => { throw new Error('killed while the transaction was open'); }, 10);
    await expect(m.save(20, state(), META)).rejects.toThrow(/killed/);
    await m.save(30, state(), META);
    expect(await m.allSteps()).toEqual([10, 30]);
  });

  it('holds the transaction of the save made after arming, even when earlier writes are still queued', async () => {
    const store = freshStore();
    const m = manager(store);
    const opened: number[] = [];
    const first = m.save(10, state(), META);
    m.holdNextWriteOpen((step) => opened.push(step), 10);
    const second = m.save(20, state(), META);
    await Promise.all([first, second]);
    expect(opened).toEqual([20]);
  });

  it('is reset by deleteRun, which waits for the run\'s pending writes', async () => {
    const store = freshStore();
    const m = manager(store);
    const pending = [m.save(10, state(), META), m.save(20, state(), META)];
    await deleteRun(store, 'run1');
    await Promise.all(pending);
    expect(await rawKeys(store)).toEqual([runKeys('run1').generation(3)]);
    await m.save(30, state(), META);
    expect(await m.allSteps()).toEqual([30]);
    expect(await payloadKeys(store)).toEqual(slotKeys([0]));
  });
});

describe('failed writes', () => {
  it('leaves the previous manifest and payloads intact and surfaces StorageFullError', async () => {
    const base = freshStore();
    await manager(base, { maxToKeep: 1 }).save(10, state(1), META);
    // The manifest is the last request of the transaction: by then the payload put and the prune are already issued.
    const full = spyStore(base, (method, key) => {
      if (method === 'put' && key === runKeys('run1').manifest) throw new DOMException('quota', 'QuotaExceededError');
    });
    const m = manager(full, { maxToKeep: 1 });
    const saving = m.save(20, state(2), META);
    await expect(saving).rejects.toThrow(StorageFullError);
    await expect(saving).rejects.toThrow('Storage is full: checkpoint at step 20 was not written; earlier checkpoints are intact');
    await expect(m.waitUntilFinished()).rejects.toThrow(StorageFullError);
    await expect(m.waitUntilFinished()).resolves.toBeUndefined();
    // Step 20 was to overwrite step 10's slot: the abort left step 10 there.
    expect(await rawKeys(base)).toEqual([runKeys('run1').generation(1), runKeys('run1').manifest, ...slotKeys([0])]);
    expect(await manager(base).allSteps()).toEqual([10]);
    expect((await manager(base).restore(10, state())).state.optimizer.step).toBe(1);
  });

  it('keeps going after a failure: later saves still commit', async () => {
    let fail = true;
    const store = spyStore(freshStore(), (method) => {
      if (method === 'put' && fail) {
        fail = false;
        throw new DOMException('quota', 'QuotaExceededError');
      }
    });
    const m = manager(store);
    const first = m.save(10, state(), META);
    const second = m.save(20, state(), META);
    await expect(first).rejects.toThrow(StorageFullError);
    await expect(second).resolves.toMatchObject({ step: 20 });
    expect(await m.allSteps()).toEqual([20]);
  });

  it('refuses to mix fingerprints within one run', async () => {
    const store = freshStore();
    await manager(store).save(10, state(), META);
    await expect(manager(store, { fingerprint: { ...FP, hidden: '8x8' } }).save(20, state(), META)).rejects.toThrow(/fingerprint.hidden/);
    expect(await manager(store).allSteps()).toEqual([10]);
  });

  it('validates its options', () => {
    const store = freshStore();
    expect(() => manager(store, { runId: 'a/b' })).toThrow(InvalidInputError);
    expect(() => manager(store, { maxToKeep: 0 })).toThrow(InvalidInputError);
    expect(() => manager(store, { saveEverySteps: -1 })).toThrow(InvalidInputError);
    expect(manager(store, { saveEverySteps: 0 }).shouldSave(10)).toBe(false);
    expect(manager(store).shouldSave(20)).toBe(true);
    expect(manager(store).shouldSave(25)).toBe(false);
  });
});

describe('export, writing a record, inspection', () => {
  it('moves a checkpoint to another run with the same fingerprint, bit-exactly', async () => {
    const store = freshStore();
    await manager(store).save(10, state(3), META);
    const bytes = await manager(store).exportCheckpoint(10);
    const other = manager(store, { runId: 'run2', maxToKeep: 1 });
    await other.save(5, state(), META);
    expect((await other.writeRecord(decodeCheckpointFile(bytes))).step).toBe(10);
    expect(await other.allSteps()).toEqual([10]);
    expect(bits(kernelOf((await other.restore(10, state())).state))).toEqual(bits(kernelOf(state(3))));
  });

  it('refuses a checkpoint of another fingerprint and writes nothing', async () => {
    const store = freshStore();
    await manager(store).save(10, state(), META);
    const bytes = await manager(store).exportCheckpoint(10);
    const before = await rawKeys(store);
    const other = manager(store, { runId: 'run2', fingerprint: { ...FP, batch: 64 } });
    await expect(other.writeRecord(decodeCheckpointFile(bytes))).rejects.toThrow(StructureMismatchError);
    await expect(other.writeRecord(decodeCheckpointFile(bytes))).rejects.toThrow('fingerprint.batch: 32 in checkpoint, 64 in template');
    expect(await rawKeys(store)).toEqual(before);
  });

  it('inspects a checkpoint per tensor', async () => {
    const m = manager(freshStore());
    await m.save(10, state(1), META);
    const { meta, tensors, numbers } = await m.inspect(10);
    expect(meta.step).toBe(10);
    expect(tensors[1]).toMatchObject({ path: 'model/dense_0/kernel', dtype: 'float32', shape: [2, 4], bytes: 32, checksumOk: true });
    expect(numbers).toEqual({ 'optimizer/step': 1, 'pipeline/cursor': -0 });
  });
});
