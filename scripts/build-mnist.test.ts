import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMnistAsset } from '../src/engine/data/mnist';
import { buildMnist, loadMnistFromPackage } from './build-mnist';

// A stand-in package: one or two tiny images per digit, so the test needs no 21 MB parse.
const dir = mkdtempSync(path.join(tmpdir(), 'mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (let d = 0; d < 10; d++) {
  const count = d === 0 ? 2 : 1;
  const data = Array.from({ length: count * 784 }, (_, i) => (i === d ? 1 : i % 7 === 0 ? 0.502 : 0));
  writeFileSync(path.join(dir, `${d}.json`), JSON.stringify({ data }));
  // Back-date the inputs, so a coarse filesystem clock cannot give the asset the same mtime.
  const past = new Date(Date.now() - 60_000);
  utimesSync(path.join(dir, `${d}.json`), past, past);
}
const out = path.join(dir, 'out', 'digits.bin');

describe('build-mnist', () => {
  it('converts every image, labelled by its file, pixels rounded to bytes', () => {
    const images = loadMnistFromPackage(dir);
    expect(images.labels.length).toBe(11);
    expect(Array.from(images.labels).sort()).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const k = images.labels.indexOf(3);
    const img = images.pixels.subarray(k * 784, (k + 1) * 784);
    expect([img[3], img[7], img[8]]).toEqual([255, 128, 0]);
  });

  it('writes the asset, then skips while it is newer than its inputs, and rebuilds when forced or stale', () => {
    expect(buildMnist({ dir, out })).toBe('built');
    expect(decodeMnistAsset(new Uint8Array(readFileSync(out))).labels.length).toBe(11);
    expect(buildMnist({ dir, out })).toBe('up-to-date');
    expect(buildMnist({ dir, out, force: true })).toBe('built');
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, '4.json'), future, future);
    expect(buildMnist({ dir, out })).toBe('built');
  });

  it('refuses a malformed digit file', () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'mnist-bad-'));
    for (let d = 0; d < 10; d++) writeFileSync(path.join(bad, `${d}.json`), JSON.stringify({ data: [0, 1] }));
    expect(() => loadMnistFromPackage(bad)).toThrow(/whole 784-pixel images/);
    rmSync(bad, { recursive: true, force: true });
  });
});
