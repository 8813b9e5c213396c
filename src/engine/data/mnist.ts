/**
 * The MNIST asset: a small binary the browser fetches instead of 21 MB of JSON.
 *
 * Layout (little-endian): "RMNIST02", u32 count, u32 rows, u32 cols,
 * count label bytes, count × rows × cols pixel bytes, u32 xxHash32 of all
 * preceding bytes. Pixels stay uint8 on the wire and become float32 / 255 at load.
 */
import { DATASET_CLASSES } from '../../core/config';
import { MNIST_SIDE_PX, MNIST_TEST_SAMPLES } from '../../core/constants';
import { InvalidInputError } from '../../core/errors';
import { xxh32 } from '../../core/hashes';
import { defineSource, type Source } from './source';

/** First eight bytes of the asset; the digits name the format version. */
export const MNIST_MAGIC = 'RMNIST02';
const HEADER_BYTES = 20;
const TRAILER_BYTES = 4;
/** Classes of the digits dataset: 0–9. */
export const DIGIT_CLASSES = DATASET_CLASSES.digits;

/** Decoded asset contents. */
export interface MnistImages {
  /** Digit of each image, 0–9. */
  labels: Uint8Array;
  /** Row-major grey levels 0–255, image after image. */
  pixels: Uint8Array;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
}

/** Serialises images into the asset layout. */
export function encodeMnistAsset(images: MnistImages): Uint8Array {
  const { labels, pixels, rows, cols } = images;
  if (pixels.length !== labels.length * rows * cols) {
    throw new RangeError(`encodeMnistAsset: ${pixels.length} pixels do not fill ${labels.length} images of ${rows}×${cols}`);
  }
  const out = new Uint8Array(HEADER_BYTES + labels.length + pixels.length + TRAILER_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MNIST_MAGIC.length; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  view.setUint32(8, labels.length, true);
  view.setUint32(12, rows, true);
  view.setUint32(16, cols, true);
  out.set(labels, HEADER_BYTES);
  out.set(pixels, HEADER_BYTES + labels.length);
  const body = out.length - TRAILER_BYTES;
  view.setUint32(body, xxh32(out.subarray(0, body)), true);
  return out;
}

/** Reads an asset, refusing a foreign, truncated or corrupted file with InvalidInputError. */
export function decodeMnistAsset(bytes: Uint8Array): MnistImages {
  const bad = (why: string): never => {
    throw new InvalidInputError(`The MNIST asset is unusable: ${why}. Rebuild it with \`npx tsx scripts/build-mnist.ts\`.`, { bytes: bytes.length });
  };
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) bad(`only ${bytes.length} bytes`);
  const magic = String.fromCharCode(...bytes.subarray(0, MNIST_MAGIC.length));
  if (magic !== MNIST_MAGIC) bad(`it starts with "${magic}", not "${MNIST_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [count, rows, cols] = [8, 12, 16].map((o) => view.getUint32(o, true));
  if (rows !== MNIST_SIDE_PX || cols !== MNIST_SIDE_PX) bad(`images are ${rows}×${cols}, not ${MNIST_SIDE_PX}×${MNIST_SIDE_PX}`);
  const expected = HEADER_BYTES + count * (1 + rows * cols) + TRAILER_BYTES;
  if (bytes.length !== expected) bad(`${bytes.length} bytes where ${count} images need ${expected} (truncated or padded)`);
  const body = bytes.length - TRAILER_BYTES;
  if (xxh32(bytes.subarray(0, body)) !== view.getUint32(body, true)) bad('its checksum does not match (corrupted)');
  const labels = bytes.slice(HEADER_BYTES, HEADER_BYTES + count);
  if (labels.some((l) => l >= DIGIT_CLASSES)) bad('a label is not a digit 0–9');
  return { labels, pixels: bytes.slice(HEADER_BYTES + count, body), rows, cols };
}

/** The digits dataset from asset bytes: the last `testSamples` images are the test split, the rest train. */
export function parseMnistAsset(bytes: Uint8Array, testSamples = MNIST_TEST_SAMPLES): Source {
  const { labels, pixels, rows, cols } = decodeMnistAsset(bytes);
  const n = labels.length;
  if (!(Number.isInteger(testSamples) && testSamples >= 1 && testSamples < n)) {
    throw new InvalidInputError(`The MNIST asset holds ${n} images, too few for a ${testSamples}-image test split`, { n, testSamples });
  }
  const size = rows * cols;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / 255;
  const y = Int32Array.from(labels);
  const nTrain = n - testSamples;
  return defineSource({
    name: 'digits',
    numClasses: DIGIT_CLASSES,
    sampleShape: [rows, cols, 1],
    train: { x: x.subarray(0, nTrain * size), y: y.subarray(0, nTrain), n: nTrain },
    test: { x: x.subarray(nTrain * size), y: y.subarray(nTrain), n: testSamples },
  });
}
