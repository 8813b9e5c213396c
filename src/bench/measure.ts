/**
 * The measurements, run inside the bench worker on the app's own engine:
 * Trainer, CheckpointManager over the real IndexedDB (createStrictStore),
 * the real data pipeline. Each function times what it is asked to and returns
 * raw durations; statistics and verdicts are the driver's business.
 *
 * Paired measurements are interleaved (A, B, A, B, ...) so a noisy machine's
 * drift lands on both sides.
 */
import * as tf from '@tensorflow/tfjs';
import { promisifyRequest, type UseStore } from 'idb-keyval';
import {
  CheckpointManager, assertFitsTemplate, decodeRecord, deleteRun, getRunRecord, putRunRecord, readManifest, readPayload, stateTree, xxh32,
  type CheckpointInfo, type Committer, type SaveMeta,
} from '../checkpoint';
import { STORE_NAME } from '../constants';
import type { BackendReport } from '../engine/backend';
import { stateFingerprint, type RunConfig } from '../engine/config';
import { Pipeline } from '../engine/data/pipeline';
import type { Source } from '../engine/data/source';
import { CheckpointNotFoundError } from '../engine/errors';
import { Trainer } from '../engine/trainer';
import { flattenTree, isTensorLeaf, type TrainState, type Tree } from '../engine/tree';
import { yieldTask } from '../engine/yieldTask';
import { parameterCount } from './flops';
import { shapeOf } from './models';
import { PlainTrainer } from './plain';
import {
  BENCH_DB_NAME, type GrowthPoint, type MatmulResult, type OverheadResult, type OverheadRun, type OverheadVariant, type RepPlan, type StorageResult,
  type ThroughputResult,
} from './protocol';
import { balancedOrder, median, stepsFor } from './stats';

/** What a measurement needs from the worker. */
export interface BenchContext {
  /** Strict-durability store on the bench's own database. */
  store: UseStore;
  /** The writer worker large checkpoints commit in, as in the app (src/checkpoint/writer.ts). */
  committer: Committer;
  /** The backend that runs. */
  backend: BackendReport;
  /** The data a config trains on (cached). */
  source(config: RunConfig): Promise<Source>;
  /** Reports what is being measured now. */
  progress(text: string): void;
}

const now = (): number => performance.now();

/** Time of `n` sequential awaited calls of `step`. */
async function timeSteps(step: () => Promise<unknown>, n: number): Promise<number> {
  const t = now();
  for (let i = 0; i < n; i++) await step();
  return now() - t;
}

function saveMeta(trainer: Trainer, backend: BackendReport): SaveMeta {
  // What Session.train records with every checkpoint.
  return { backend: backend.backend, adapter: backend.adapter, losses: trainer.losses.slice(), savedAtMs: Date.now() };
}

function checkParams(config: RunConfig, trainer: Trainer): void {
  const expected = parameterCount(shapeOf(config));
  if (trainer.model.parameterCount !== expected) {
    throw new Error(`bench FLOP model is stale: engine has ${trainer.model.parameterCount} parameters, src/bench/flops.ts counts ${expected}`);
  }
}

/** Engine steps against plain TF.js steps on the same model and batch size, interleaved repetition by repetition. */
export async function measureThroughput(ctx: BenchContext, config: RunConfig, plan: RepPlan): Promise<ThroughputResult> {
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  const plain = PlainTrainer.create(config, source, 16);
  try {
    checkParams(config, trainer);
    ctx.progress('warm-up');
    let t = now();
    await trainer.trainStep();
    const firstStepMs = now() - t;
    await plain.trainStep();
    for (let i = 1; i < plan.warmupSteps; i++) {
      await trainer.trainStep();
      await plain.trainStep();
    }
    t = now();
    await trainer.trainStep();
    await trainer.trainStep();
    const calibrationStepMs = (now() - t) / 2;
    const steps = stepsFor(plan.targetRepMs, calibrationStepMs, plan.minSteps, plan.maxSteps);
    const reps = plan.minSteps * calibrationStepMs > plan.targetRepMs ? plan.slowReps : plan.reps;
    const engineMs: number[] = [];
    const plainMs: number[] = [];
    const pipelineMs: number[] = [];
    const pipeline = Pipeline.create(config, source);
    const tensorsBefore = tf.memory().numTensors;
    for (let r = 0; r < reps; r++) {
      ctx.progress(`rep ${r + 1}/${reps} (${steps} steps each side)`);
      // A B, B A, A B, ...: each side goes first as often as second.
      if (r % 2 === 0) {
        engineMs.push(await timeSteps(() => trainer.trainStep(), steps));
        plainMs.push(await timeSteps(() => plain.trainStep(), steps));
      } else {
        plainMs.push(await timeSteps(() => plain.trainStep(), steps));
        engineMs.push(await timeSteps(() => trainer.trainStep(), steps));
      }
      t = now();
      for (let i = 0; i < steps; i++) pipeline.next();
      pipelineMs.push(now() - t);
    }
    const tensorGrowth = tf.memory().numTensors - tensorsBefore;
    return {
      steps, engineMs, plainMs, pipelineMs, firstStepMs, paramCount: trainer.model.parameterCount, plainParamCount: plain.parameterCount, calibrationStepMs, tensorGrowth,
    };
  } finally {
    trainer.dispose();
    plain.dispose();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The app's training loop (Session.train: step, snapshot when due, save in
 * the background, yield a macrotask) with a checkpoint every k steps, for
 * each variant, interleaved per repetition; k = 0 never checkpoints, and a
 * variant may leave out the yield to show what it is for. The loop awaits the
 * snapshot and runs manager.save's synchronous packing; the commit happens in
 * the background and is drained (and timed) at the end.
 *
 * Steps per repetition: a multiple of the largest interval, enough for about
 * `targetRepMs`, at most `maxSteps`. Each repetition runs the variants in
 * the order of one row of a balanced Latin square (stats.balancedOrder), and
 * each variant is followed by an untimed pause, so IndexedDB's background
 * work after one variant (after every-1: a hundred commits to compact) does
 * not land on the same successor every time. The rotation used before kept
 * each variant's predecessor fixed: every-10 always ran right after every-1.
 */
export async function measureOverhead(
  ctx: BenchContext, config: RunConfig, variants: OverheadVariant[], plan: RepPlan,
): Promise<OverheadResult> {
  const { reps, warmupSteps } = plan;
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  const fingerprint = stateFingerprint(config);
  const manager = (runId: string, every: number) => new CheckpointManager({ store: ctx.store, runId, maxToKeep: config.maxToKeep, saveEverySteps: every, fingerprint, committer: ctx.committer });
  try {
    ctx.progress('warm-up');
    for (let i = 0; i < warmupSteps; i++) await trainer.trainStep();
    const unit = Math.max(1, ...variants.map((v) => v.every));
    // Calibrated on the loop's own step (with its yield), by the median: the
    // first steps after the warm-up still run wasm and JS not yet optimized,
    // and a mean over them made the wasm spirals repetitions 200 steps (0.3 s)
    // instead of the ~1 s asked for.
    const calibration: number[] = [];
    for (let i = 0; i < 30; i++) {
      const tc = now();
      await trainer.trainStep();
      await yieldTask();
      calibration.push(now() - tc);
    }
    const steps = unit * Math.max(1, Math.ceil(stepsFor(plan.targetRepMs, median(calibration), plan.minSteps, plan.maxSteps) / unit));
    // Warm the snapshot path and the database (open, first transaction) too.
    const warm = manager('bench-ovh-warm', 1);
    const info = await warm.save(trainer.step, await trainer.snapshot(), saveMeta(trainer, ctx.backend));
    await deleteRun(ctx.store, 'bench-ovh-warm');
    const runs: OverheadRun[] = variants.map((v) => ({
      ...v, loopMs: [], totalMs: [], snapshotMs: [], encodeMs: [], commitMs: [], stepMs: [], pendingAtLoopEnd: [], maxStepsAtRisk: [], savesPerRep: v.every > 0 ? Math.floor(steps / v.every) : 0,
    }));
    for (let r = 0; r < reps; r++) {
      for (const v of balancedOrder(runs.length, r)) {
        const run = runs[v];
        ctx.progress(`rep ${r + 1}/${reps}, checkpoint every ${run.every || 'never'}${run.yieldEveryStep ? '' : ', no yield'} (${steps} steps)`);
        const runId = `bench-ovh-${run.every}-${run.yieldEveryStep ? 'y' : 'n'}-${r}`;
        const m = run.every > 0 ? manager(runId, run.every) : null;
        // Each repetition stands for a run of `steps` steps: its checkpoints carry only its own loss history (meta.losses), as a run's would.
        trainer.losses = [];
        const commits: Array<Promise<unknown>> = [];
        let committed = 0;
        let committedStep = 0;
        let maxRisk = 0;
        const t0 = now();
        for (let i = 1; i <= steps; i++) {
          const ts = now();
          await trainer.trainStep();
          const te = now();
          run.stepMs.push(te - ts);
          maxRisk = Math.max(maxRisk, i - committedStep);
          if (m?.shouldSave(i)) {
            const state = await trainer.snapshot();
            const tSnap = now();
            const saved = m.save(trainer.step, state, saveMeta(trainer, ctx.backend));
            const tEnc = now();
            run.snapshotMs.push(tSnap - te);
            run.encodeMs.push(tEnc - tSnap);
            commits.push(saved.then(() => {
              committed++;
              committedStep = Math.max(committedStep, i);
              run.commitMs.push(now() - tSnap);
            }));
          }
          if (run.yieldEveryStep) await yieldTask();
        }
        run.loopMs.push(now() - t0);
        run.pendingAtLoopEnd.push(commits.length - committed);
        run.maxStepsAtRisk.push(maxRisk);
        if (m) {
          await m.waitUntilFinished();
          await Promise.all(commits);
        }
        run.totalMs.push(now() - t0);
        if (m) await deleteRun(ctx.store, runId);
        await sleep(100);
      }
    }
    return { steps, runs, bytes: info.bytes };
  } finally {
    trainer.dispose();
  }
}

/** The tensor bytes of a state back to back (padded with 8 per number leaf), so a raw put stores what a checkpoint stores. */
function stateBytes(state: TrainState): ArrayBuffer {
  const leaves = flattenTree(stateTree(state)).map(([, leaf]) => leaf);
  let size = 0;
  for (const l of leaves) size += isTensorLeaf(l) ? l.data.byteLength : 8;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const l of leaves) {
    if (isTensorLeaf(l)) {
      out.set(new Uint8Array(l.data.buffer, l.data.byteOffset, l.data.byteLength), at);
      at += l.data.byteLength;
    } else {
      view.setFloat64(at, l, true);
      at += 8;
    }
  }
  return out.buffer;
}

/** One put in one transaction through the strict store. */
async function rawStrictPut(store: UseStore, key: string, value: ArrayBuffer): Promise<void> {
  await store('readwrite', (os) => {
    os.put(value, key);
    return promisifyRequest(os.transaction);
  });
}

/** A get awaited, then two puts, in one strict transaction: how the manager's write was shaped before it kept the manifest in memory. */
async function rawGetPut(store: UseStore, key: string, value: ArrayBuffer): Promise<void> {
  await store('readwrite', async (os) => {
    const manifest: unknown = await promisifyRequest(os.get(`${key}/manifest`));
    os.put(value, key);
    os.put({ manifest: manifest ?? null, key }, `${key}/manifest`);
    return promisifyRequest(os.transaction);
  });
}

let relaxedDb: Promise<IDBDatabase> | null = null;
/** One put in one relaxed-durability transaction (the database exists: the strict store made it). */
async function rawRelaxedPut(key: string, value: ArrayBuffer): Promise<void> {
  relaxedDb ??= promisifyRequest(indexedDB.open(BENCH_DB_NAME));
  const tx = (await relaxedDb).transaction(STORE_NAME, 'readwrite', { durability: 'relaxed' });
  tx.objectStore(STORE_NAME).put(value, key);
  await promisifyRequest(tx);
}

async function deleteKeys(store: UseStore, keys: string[]): Promise<void> {
  await store('readwrite', (os) => {
    for (const k of keys) os.delete(k);
    return promisifyRequest(os.transaction);
  });
}

/**
 * Untimed operations of each kind before the storage timings start. V8
 * optimizes the commit path's JavaScript (packing, checksums, the manifest) only
 * after it has run a few times; with one warm-up commit it still ran
 * interpreted, and a 14.8 KiB commit measured 3.5 ms instead of 2.6 ms. A
 * training run commits hundreds of times, so the warm figure is its figure.
 */
const STORAGE_WARMUP_OPS = 20;

/** Untimed pause after each storage operation, in ms: each one starts from an idle IndexedDB, as a checkpoint between training steps does. */
const SETTLE_MS = 20;

/**
 * Commits through the manager (as the app does, and with the transaction in
 * this thread) against raw puts of the same bytes (strict, relaxed,
 * get-then-put), interleaved in balanced-Latin-square order with a pause
 * after each. A fixed order flattered the raw strict put, which always
 * ran right after the commit, on an IndexedDB still busy from it.
 */
export async function measureStorage(ctx: BenchContext, config: RunConfig, reps: number): Promise<StorageResult> {
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  const runIds = ['bench-storage', 'bench-storage-in-thread'];
  const options = { store: ctx.store, maxToKeep: 2, saveEverySteps: 1, fingerprint: stateFingerprint(config) };
  const managers = {
    commit: new CheckpointManager({ ...options, runId: runIds[0], committer: ctx.committer }),
    inThread: new CheckpointManager({ ...options, runId: runIds[1] }),
  };
  const rawKeys: string[] = [];
  try {
    await trainer.trainStep();
    const state = await trainer.snapshot();
    const bytes = stateBytes(state);
    const out: StorageResult = { bytes: 0, tensorCount: 0, commitMs: [], commitInThreadMs: [], encodeMs: [], rawStrictMs: [], rawRelaxedMs: [], rawGetPutMs: [] };
    let step = 0;
    const commit = async (manager: CheckpointManager): Promise<{ ms: number; encodeMs: number; info: CheckpointInfo }> => {
      const t = now();
      const p = manager.save(++step, state, saveMeta(trainer, ctx.backend));
      const encodeMs = now() - t;
      const info = await p;
      return { ms: now() - t, encodeMs, info };
    };
    const raw = async (kind: 'strict' | 'relaxed' | 'getput', r: number): Promise<number> => {
      const key = `bench/raw/${kind}/${r}`;
      rawKeys.push(key, `${key}/manifest`);
      const copy = bytes.slice(0);
      const t = now();
      await (kind === 'strict' ? rawStrictPut(ctx.store, key, copy) : kind === 'relaxed' ? rawRelaxedPut(key, copy) : rawGetPut(ctx.store, key, copy));
      return now() - t;
    };
    ctx.progress('warm-up');
    const first = await commit(managers.commit);
    out.bytes = first.info.bytes;
    out.tensorCount = first.info.tensorCount;
    for (let i = 0; i < STORAGE_WARMUP_OPS; i++) {
      await commit(managers.commit);
      await commit(managers.inThread);
      await raw('strict', -1);
      await raw('relaxed', -1);
      await raw('getput', -1);
    }
    const kinds = ['commit', 'inThread', 'strict', 'relaxed', 'getput'] as const;
    for (let r = 0; r < reps; r++) {
      ctx.progress(`rep ${r + 1}/${reps} (${(out.bytes / 1024).toFixed(0)} KiB)`);
      for (const k of balancedOrder(kinds.length, r)) {
        const kind = kinds[k];
        if (kind === 'commit') {
          const c = await commit(managers.commit);
          out.commitMs.push(c.ms);
          out.encodeMs.push(c.encodeMs);
        } else if (kind === 'inThread') {
          out.commitInThreadMs.push((await commit(managers.inThread)).ms);
        } else {
          const ms = await raw(kind, r);
          (kind === 'strict' ? out.rawStrictMs : kind === 'relaxed' ? out.rawRelaxedMs : out.rawGetPutMs).push(ms);
        }
        await sleep(SETTLE_MS);
      }
    }
    return out;
  } finally {
    trainer.dispose();
    for (const runId of runIds) await deleteRun(ctx.store, runId);
    await deleteKeys(ctx.store, rawKeys);
  }
}

/** Trains a few steps, commits one checkpoint and the run record, and returns where it is. */
export async function prepareRestore(ctx: BenchContext, config: RunConfig, runId: string, steps: number): Promise<{ step: number; bytes: number }> {
  const source = await ctx.source(config);
  const trainer = Trainer.create(config, source);
  try {
    await deleteRun(ctx.store, runId);
    const t = Date.now();
    await putRunRecord(ctx.store, { runId, config, status: 'training', createdAtMs: t, updatedAtMs: t, backend: ctx.backend.backend, adapter: ctx.backend.adapter, pitfall: 'none' });
    for (let i = 0; i < steps; i++) await trainer.trainStep();
    const manager = new CheckpointManager({ store: ctx.store, runId, maxToKeep: 1, saveEverySteps: steps, fingerprint: stateFingerprint(config), committer: ctx.committer });
    const info = await manager.save(trainer.step, await trainer.snapshot(), saveMeta(trainer, ctx.backend));
    return { step: info.step, bytes: info.bytes };
  } finally {
    trainer.dispose();
  }
}

/** Everything a restore does, split at the boundaries the bench reports; `mark` receives each boundary's name. */
export async function restoreSteps(
  store: UseStore, runId: string, source: (config: RunConfig) => Promise<Source>, mark: (name: 'dataReady' | 'templateReady' | 'read' | 'verified' | 'loaded') => void,
): Promise<{ trainer: Trainer; step: number; bytes: number; config: RunConfig }> {
  const record = await getRunRecord(store, runId);
  if (!record) throw new CheckpointNotFoundError(`bench: no run ${runId} to restore`, { runId });
  const { config } = record;
  const src = await source(config);
  mark('dataReady');
  const trainer = Trainer.create(config, src);
  const template = await trainer.snapshot();
  mark('templateReady');
  const fingerprint = stateFingerprint(config);
  const manifest = await readManifest(store, runId);
  const info = manifest?.checkpoints.at(-1);
  if (!info) throw new CheckpointNotFoundError(`bench: run ${runId} has no checkpoint`, { runId });
  const { raw } = await readPayload(store, runId, info.step);
  mark('read');
  // What CheckpointManager.restore does after its read.
  const { record: saved, tree } = decodeRecord(raw);
  assertFitsTemplate(tree, stateTree(template), saved.meta.fingerprint, fingerprint);
  mark('verified');
  await trainer.load({ model: tree.model as Tree, optimizer: tree.optimizer as Tree, pipeline: tree.pipeline as Tree });
  trainer.step = saved.meta.step;
  trainer.losses = saved.meta.losses.slice();
  mark('loaded');
  return { trainer, step: info.step, bytes: info.bytes, config };
}

/** Snapshot, commit and restore (read, verify, write-back) of one model size, interleaved per repetition. */
export async function measureGrowth(ctx: BenchContext, config: RunConfig, reps: number): Promise<GrowthPoint> {
  const source = await ctx.source(config);
  const runId = 'bench-growth';
  await deleteRun(ctx.store, runId);
  ctx.progress('building the model');
  const trainer = Trainer.create(config, source);
  const fingerprint = stateFingerprint(config);
  const manager = new CheckpointManager({ store: ctx.store, runId, maxToKeep: 1, saveEverySteps: 1, fingerprint, committer: ctx.committer });
  try {
    checkParams(config, trainer);
    ctx.progress('warm-up step');
    await trainer.trainStep();
    let t = now();
    await trainer.trainStep();
    const stepMs = now() - t;
    const out: GrowthPoint = {
      hidden: config.hidden, params: trainer.model.parameterCount, bytes: 0, stepMs,
      snapshotMs: [], encodeMs: [], commitMs: [], readMs: [], verifyMs: [], loadMs: [], managerRestoreMs: [], rawPutMs: [], copyMs: [], checksumMs: [],
    };
    const rawKey = 'bench/raw/growth';
    let step = 0;
    const rep = async (timed: boolean) => {
      t = now();
      const state = await trainer.snapshot();
      const snapshotMs = now() - t;
      t = now();
      const p = manager.save(++step, state, saveMeta(trainer, ctx.backend));
      const encodeMs = now() - t;
      const info = await p;
      const commitMs = now() - t;
      out.bytes = info.bytes;
      const template = await trainer.snapshot();
      t = now();
      const { raw } = await readPayload(ctx.store, runId, step);
      const readMs = now() - t;
      t = now();
      const { record, tree } = decodeRecord(raw);
      assertFitsTemplate(tree, stateTree(template), record.meta.fingerprint, fingerprint);
      const verifyMs = now() - t;
      t = now();
      await trainer.load({ model: tree.model as Tree, optimizer: tree.optimizer as Tree, pipeline: tree.pipeline as Tree });
      const loadMs = now() - t;
      t = now();
      await manager.restore(step, template);
      const managerRestoreMs = now() - t;
      const bytes = stateBytes(state);
      t = now();
      await rawStrictPut(ctx.store, rawKey, bytes);
      const rawPutMs = now() - t;
      // The two costs of encoding, each on the same bytes: the packing copy and the checksums (xxHash32).
      t = now();
      bytes.slice(0);
      const copyMs = now() - t;
      t = now();
      xxh32(bytes);
      const checksumMs = now() - t;
      if (!timed) return;
      out.rawPutMs.push(rawPutMs);
      out.copyMs.push(copyMs);
      out.checksumMs.push(checksumMs);
      out.snapshotMs.push(snapshotMs);
      out.encodeMs.push(encodeMs);
      out.commitMs.push(commitMs);
      out.readMs.push(readMs);
      out.verifyMs.push(verifyMs);
      out.loadMs.push(loadMs);
      out.managerRestoreMs.push(managerRestoreMs);
    };
    ctx.progress('warm-up checkpoint');
    await rep(false);
    for (let r = 0; r < reps; r++) {
      ctx.progress(`rep ${r + 1}/${reps} (${(trainer.model.parameterCount / 1e6).toFixed(2)}M params)`);
      await rep(true);
    }
    return out;
  } finally {
    trainer.dispose();
    await deleteRun(ctx.store, runId);
    await deleteKeys(ctx.store, ['bench/raw/growth']);
  }
}

/** A [n, n] × [n, n] matmul repeated, each repetition reading its result back. */
export async function measureMatmul(ctx: BenchContext, n: number, reps: number, warmup: number): Promise<MatmulResult> {
  // Any values do: a cheap deterministic pattern in [-0.5, 0.5).
  const fill = (salt: number) => Float32Array.from({ length: n * n }, (_, i) => (((i * 7919 + salt) % 1000) / 1000) - 0.5);
  const a = tf.tensor2d(fill(1), [n, n]);
  const b = tf.tensor2d(fill(2), [n, n]);
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) await once();
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      ctx.progress(`matmul ${n}³ rep ${r + 1}/${reps}`);
      ms.push(await timeSteps(once, 1));
    }
    return { n, ms };
  } finally {
    a.dispose();
    b.dispose();
  }
}
