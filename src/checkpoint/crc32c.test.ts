import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c';

/** Bit-at-a-time reference, independent of the tables under test. */
function reference(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bitwise reference for every length 0..100 and unaligned views', () => {
    const buf = Uint8Array.from({ length: 140 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let len = 0; len <= 100; len++) {
        const view = buf.subarray(start, start + len);
        expect(crc32c(view)).toBe(reference(view));
      }
    }
  });

  it('reads the bytes of any typed array view and of an ArrayBuffer', () => {
    const f = new Float32Array([1.5, -0, NaN, 3e-42]);
    const bytes = new Uint8Array(f.buffer.slice(0));
    expect(crc32c(f)).toBe(reference(bytes));
    expect(crc32c(f.buffer)).toBe(reference(bytes));
    expect(crc32c(new DataView(f.buffer, 4, 8))).toBe(reference(bytes.subarray(4, 12)));
    expect(crc32c(new Float32Array([0]))).not.toBe(crc32c(new Float32Array([-0])));
  });
});

describe('crc32c word loop', () => {
  /** Deterministic pseudo-random bytes (a 32-bit LCG's top byte). */
  const noise = (n: number) => {
    const out = new Uint8Array(n);
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  };

  it('gives the RFC 3720 answers at every alignment of the buffer', () => {
    const vectors: Array<[Uint8Array, number]> = [
      [new Uint8Array(32), 0x8a9136aa],
      [new Uint8Array(32).fill(0xff), 0x62a8ab43],
      [Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
      [Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
    ];
    for (const [bytes, want] of vectors) {
      for (let shift = 0; shift < 8; shift++) {
        const buf = new Uint8Array(shift + bytes.length + 5);
        buf.set(bytes, shift);
        expect(crc32c(buf.subarray(shift, shift + bytes.length))).toBe(want);
      }
    }
  });

  it('agrees with the bitwise reference for unaligned starts and lengths well past one 16-byte slice', () => {
    const buf = noise(1200);
    for (let start = 0; start < 8; start++) {
      for (const len of [31, 32, 33, 47, 48, 63, 64, 65, 100, 255, 256, 257, 1000, 1199 - start]) {
        const view = buf.subarray(start, start + len);
        expect(crc32c(view)).toBe(reference(view));
      }
    }
  });

  it('reads words of Float32Array and Int32Array views at 4-byte (not 8- or 16-byte) offsets', () => {
    const bytes = noise(4 * 300);
    const f = new Float32Array(bytes.buffer, 4, 250);
    const i = new Int32Array(bytes.buffer, 12, 200);
    expect(crc32c(f)).toBe(reference(bytes.subarray(4, 4 + 1000)));
    expect(crc32c(i)).toBe(reference(bytes.subarray(12, 12 + 800)));
    expect(crc32c(new DataView(bytes.buffer, 3, 777))).toBe(reference(bytes.subarray(3, 780)));
  });

  it('continues across cuts at any alignment, and over a megabyte, like one pass', () => {
    const big = noise(1 << 20);
    const whole = reference(big);
    expect(crc32c(big)).toBe(whole);
    for (const cut of [1, 3, 16, 17, 4099, (1 << 20) - 5]) {
      expect(crc32c(big.subarray(cut), crc32c(big.subarray(0, cut)))).toBe(whole);
    }
  });
});

describe('crc32c continuation', () => {
  it('chains across parts to the same value as one pass', () => {
    const bytes = new TextEncoder().encode('123456789');
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(crc32c(bytes.subarray(cut), crc32c(bytes.subarray(0, cut)))).toBe(0xe3069283);
    }
  });
});
