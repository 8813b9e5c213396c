/**
 * xxHash32, the one hash of Resumable: tensor checksums, checkpoint digests,
 * file trailers, state fingerprints and asset checks. It is the content
 * checksum of the LZ4 frame format: four multiplies, rotates and adds per 16
 * bytes, and a 2^-32 chance of missing random damage.
 */

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;

/** Word reads see bytes in memory order only on a little-endian platform (every browser platform today); elsewhere the words are copied through DataView. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/**
 * xxHash32 of the bytes a typed array (or DataView) views, or of a whole
 * ArrayBuffer, as an unsigned 32-bit number; `seed` chains hashes of several
 * pieces. Any offset and length: a view that does not start on a 4-byte
 * boundary (or a big-endian platform) is first copied into little-endian words.
 */
export function xxh32(data: ArrayBufferView | ArrayBuffer, seed = 0): number {
  const b = data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = b.length;
  const words = n >>> 2;
  const w = LITTLE_ENDIAN && (b.byteOffset & 3) === 0 ? new Int32Array(b.buffer, b.byteOffset, words) : littleEndianWords(b, words);
  const s = seed | 0;
  let h = (s + P5) | 0;
  let k = 0;
  if (n >= 16) {
    let v1 = (s + P1 + P2) | 0;
    let v2 = (s + P2) | 0;
    let v3 = s;
    let v4 = (s - P1) | 0;
    for (const end = words - (words & 3); k < end; k += 4) {
      v1 = Math.imul(rotl((v1 + Math.imul(w[k], P2)) | 0, 13), P1);
      v2 = Math.imul(rotl((v2 + Math.imul(w[k + 1], P2)) | 0, 13), P1);
      v3 = Math.imul(rotl((v3 + Math.imul(w[k + 2], P2)) | 0, 13), P1);
      v4 = Math.imul(rotl((v4 + Math.imul(w[k + 3], P2)) | 0, 13), P1);
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  }
  // The length, the remaining words and the last bytes, then the avalanche.
  h = (h + n) | 0;
  for (; k < words; k++) h = Math.imul(rotl((h + Math.imul(w[k], P3)) | 0, 17), P4);
  for (let i = words * 4; i < n; i++) h = Math.imul(rotl((h + Math.imul(b[i], P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The first `words` little-endian 32-bit words of `b`, copied (for an unaligned view or a big-endian platform). */
function littleEndianWords(b: Uint8Array, words: number): Int32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Int32Array.from({ length: words }, (_, k) => view.getInt32(4 * k, true));
}

/** xxHash32 as 8 hex digits, the form the page and the reports print. */
export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
