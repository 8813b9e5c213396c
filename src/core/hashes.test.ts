import { describe, expect, it } from 'vitest';
import { xxh32 } from './hashes';

/** The pattern the reference values below were computed over (with the xxhash-wasm package, seed 0). */
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761 + n) >>> 24);

describe('xxh32', () => {
  it('matches the published values of the reference implementation', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(xxh32(text(''))).toBe(0x02cc5d05);
    expect(xxh32(text('a'))).toBe(0x550d7456);
    expect(xxh32(text('abc'))).toBe(0x32d153ff);
    expect(xxh32(text('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it.each([
    [1, 0xcf65b03e], [3, 0x02ef734b], [4, 0x4a695a27], [15, 0xaa5d3fea], [16, 0x4995d5c5], [17, 0x7d7a2c93], [31, 0x9ac4b41b],
    [32, 0xc6e5e8d3], [33, 0x73399e62], [63, 0x781e7811], [100, 0x343cef9a], [1000, 0x609cd97a], [4099, 0xcbbae5f4],
  ])('matches the reference for %i bytes (every tail: stripes, words, bytes)', (n, want) => {
    expect(xxh32(pattern(n))).toBe(want);
  });

  it('gives the same value for the same bytes at any offset, as an ArrayBuffer, a view or a DataView', () => {
    const bytes = pattern(1000);
    for (let offset = 0; offset < 8; offset++) {
      const host = new Uint8Array(1000 + 8);
      host.set(bytes, offset);
      const view = host.subarray(offset, offset + 1000);
      expect(xxh32(view)).toBe(0x609cd97a);
      expect(xxh32(new DataView(host.buffer, offset, 1000))).toBe(0x609cd97a);
    }
    expect(xxh32(bytes.slice().buffer)).toBe(0x609cd97a);
    expect(xxh32(new Float32Array(bytes.slice().buffer))).toBe(0x609cd97a);
  });

  it('changes when any single bit flips or a byte is cut off', () => {
    const bytes = pattern(256);
    const base = xxh32(bytes);
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      expect(xxh32(flipped)).not.toBe(base);
    }
    expect(xxh32(bytes.subarray(0, 255))).not.toBe(base);
  });
});
