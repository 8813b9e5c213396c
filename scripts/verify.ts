/**
 * `npm run verify`: builds the app, serves it on 127.0.0.1, and runs the
 * three-phase check (reference, SIGKILL at step k, resume) in headless
 * Chromium. Exits 0 only when max |reference − resumed| over losses and
 * parameters are both exactly 0.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CRASH_AT_STEP_DEFAULT } from '../src/core/constants';
import { DEFAULT_CONFIG, PITFALLS, assertValidConfig, type Pitfall, type RunConfig } from '../src/core/config';
import { buildApp } from './lib/build';
import { serveApp } from './lib/preview';
import { runThreePhase } from './lib/three-phase';

const HELP = `Usage: npm run verify -- [options]
  --steps N          total steps (default ${DEFAULT_CONFIG.steps})
  --save-every-steps E  checkpoint every E steps (default ${DEFAULT_CONFIG.saveEverySteps})
  --crash-at-step K  SIGKILL Chromium after step K (default ${CRASH_AT_STEP_DEFAULT})
  --resume-step N    restore the checkpoint of step N (default: the newest that passes its checks)
  --seed S           seed (default ${DEFAULT_CONFIG.seed})
  --dataset D        spirals | moons | circles | xor | gaussians | digits (default ${DEFAULT_CONFIG.dataset})
  --model M          mlp | cnn (default ${DEFAULT_CONFIG.model})
  --hidden W,W       hidden widths (default ${DEFAULT_CONFIG.hidden.join(',')})
  --activation A     relu | tanh | sigmoid (default ${DEFAULT_CONFIG.activation})
  --optimizer O      sgd | momentum | adam (default ${DEFAULT_CONFIG.optimizer})
  --lr X             learning rate (default ${DEFAULT_CONFIG.lr})
  --batch B          batch size (default ${DEFAULT_CONFIG.batch})
  --backend B        webgpu | webgl | wasm | cpu (default ${DEFAULT_CONFIG.backend}; never a silent fallback)
  --max-to-keep N    checkpoints kept (default ${DEFAULT_CONFIG.maxToKeep})
  --pitfall P        ${PITFALLS.join(' | ')}
  --json FILE        write curves, per-tensor diffs, checkpoint sizes and timings, backend and adapter
  --out DIR          where curves.png/.svg go (default artifacts/verify)
  --no-build         reuse dist/ as it is

Exit codes: 0 bit-exact; 1 diverged or refused; 2 usage or setup error;
4 a pitfall was on and the resume still came out bit-exact (it had no visible effect here).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string' }, 'save-every-steps': { type: 'string' }, 'crash-at-step': { type: 'string' }, 'resume-step': { type: 'string' }, seed: { type: 'string' },
      dataset: { type: 'string' }, model: { type: 'string' }, hidden: { type: 'string' }, activation: { type: 'string' },
      optimizer: { type: 'string' }, lr: { type: 'string' }, batch: { type: 'string' }, backend: { type: 'string' },
      'max-to-keep': { type: 'string' }, pitfall: { type: 'string' }, json: { type: 'string' }, out: { type: 'string' },
      'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(HELP); return 0; }
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const d = DEFAULT_CONFIG;
  const config: RunConfig = {
    ...d,
    steps: num(values.steps, d.steps), saveEverySteps: num(values['save-every-steps'], d.saveEverySteps), seed: num(values.seed, d.seed),
    dataset: (values.dataset ?? d.dataset) as RunConfig['dataset'], model: (values.model ?? d.model) as RunConfig['model'],
    hidden: values.hidden ? values.hidden.split(',').map(Number) : d.hidden,
    activation: (values.activation ?? d.activation) as RunConfig['activation'],
    optimizer: (values.optimizer ?? d.optimizer) as RunConfig['optimizer'], lr: num(values.lr, d.lr),
    batch: num(values.batch, d.batch), backend: (values.backend ?? d.backend) as RunConfig['backend'],
    maxToKeep: num(values['max-to-keep'], d.maxToKeep), pitfall: (values.pitfall ?? 'none') as Pitfall,
  };
  const crashAtStep = num(values['crash-at-step'], Math.min(CRASH_AT_STEP_DEFAULT, config.steps - 1));
  const resumeStep = values['resume-step'] === undefined ? undefined : Number(values['resume-step']);
  if (resumeStep !== undefined && !(Number.isInteger(resumeStep) && resumeStep >= 1 && resumeStep <= crashAtStep)) throw new Error(`--resume-step must be a whole number from 1 to --crash-at-step (${crashAtStep})`);
  if (!PITFALLS.includes(config.pitfall)) throw new Error(`--pitfall: choose one of ${PITFALLS.join(', ')}`);
  assertValidConfig(config);
  if (!(Number.isInteger(crashAtStep) && crashAtStep >= 1 && crashAtStep < config.steps)) throw new Error(`--crash-at-step must be a whole number from 1 to ${config.steps - 1}`);
  if (!(config.saveEverySteps >= 1 && config.saveEverySteps <= crashAtStep)) throw new Error(`--save-every-steps must be from 1 to --crash-at-step (${crashAtStep}), so that a checkpoint exists before the crash`);

  const t0 = Date.now();
  if (!values['no-build']) {
    process.stderr.write('Building the app...\n');
    await buildApp();
  }
  const server = await serveApp();
  try {
    const report = await runThreePhase({ url: server.url, config, crashAtStep, resumeStep, outDir: resolve(values.out ?? 'artifacts/verify'), progress: true });
    report.timingsMs.total = Date.now() - t0;
    if (values.json) await writeFile(values.json, JSON.stringify(report, null, 1));
    if (report.exact) console.log(`Picture: ${resolve(values.out ?? 'artifacts/verify', 'curves.png')}`);
    if (report.exact && report.pitfallNoEffect !== null) return 4;
    return report.exact ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`verify: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
