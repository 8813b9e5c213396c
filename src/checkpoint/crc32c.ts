/**
 * CRC32C (Castagnoli), the checksum of iSCSI, ext4 and TensorStore/Orbax.
 *
 * Slicing-by-8: eight 256-entry tables let the loop consume eight bytes per
 * iteration, several times faster in JS than the byte-at-a-time form, which
 * matters because every tensor is checksummed when it is saved and restored.
 */

/** The reflected Castagnoli polynomial 0x1EDC6F41. */
const POLY = 0x82f63b78;

/** Table t (t = 0..7) at offset t*256: the CRC of a byte followed by t zero bytes. */
const TABLE = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 8; s++) {
      const prev = t[(s - 1) * 256 + n];
      t[s * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
})();

/**
 * CRC32C of the bytes a typed array (or DataView) views, or of a whole
 * ArrayBuffer, as an unsigned 32-bit number; pass a previous result as `crc`
 * to continue it over more data.
 */
export function crc32c(data: ArrayBufferView | ArrayBuffer, crc = 0): number {
  const b = data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = b.length;
  let c = ~crc;
  let i = 0;
  // Reading the words byte by byte keeps the result independent of alignment and platform endianness.
  for (; i + 8 <= n; i += 8) {
    c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    c = TABLE[1792 + (c & 0xff)] ^ TABLE[1536 + ((c >>> 8) & 0xff)]
      ^ TABLE[1280 + ((c >>> 16) & 0xff)] ^ TABLE[1024 + (c >>> 24)]
      ^ TABLE[768 + b[i + 4]] ^ TABLE[512 + b[i + 5]]
      ^ TABLE[256 + b[i + 6]] ^ TABLE[b[i + 7]];
  }
  for (; i < n; i++) c = TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
