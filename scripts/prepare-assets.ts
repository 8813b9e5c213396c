/**
 * Static assets the app serves from its own origin, made before dev and build:
 * the MNIST digits as a compact binary, and TF.js's .wasm binaries (so the
 * wasm backend never reaches for a CDN).
 *
 * Usage: npx tsx scripts/prepare-assets.ts
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TFJS_WASM_PATH } from '../src/core/constants';
import { buildMnist } from './build-mnist';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Copies the .wasm files that are missing or older than the installed package's. */
function copyWasm(): number {
  const from = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const to = path.join(ROOT, 'public', TFJS_WASM_PATH);
  mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const f of readdirSync(from).filter((n) => n.endsWith('.wasm'))) {
    const src = path.join(from, f);
    const dst = path.join(to, f);
    if (!existsSync(dst) || statSync(dst).mtimeMs < statSync(src).mtimeMs) {
      copyFileSync(src, dst);
      copied++;
    }
  }
  return copied;
}

/** Builds every asset that is out of date; says what it did. */
export async function prepareAssets(): Promise<string> {
  return `assets: mnist ${buildMnist()}, ${copyWasm()} wasm file(s) copied`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await prepareAssets());
}
