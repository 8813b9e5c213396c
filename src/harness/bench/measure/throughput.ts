/** Section 1: engine training steps against a plain TF.js loop on the same model and batch. */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../core/config';
import { Pipeline } from '../../../engine/data/pipeline';
import { Trainer } from '../../../engine/trainer';
import { checkParams, now, timeSteps, type BenchContext } from '../context';
import { PlainTrainer } from '../plain';
import type { RepPlan, ThroughputResult } from '../protocol';
import { stepsFor } from '../stats';

/**
 * Engine steps against plain TF.js steps on the same model and batch size,
 * interleaved repetition by repetition (A B, B A, ...) so a noisy machine's
 * drift lands on both sides alike.
 */
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
