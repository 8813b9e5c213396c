/**
 * Counter-based random streams (Philox4x32-10, Salmon et al. 2011).
 *
 * Why counter-based: a stream's whole state is a key (two 32-bit words) and a
 * counter, so a checkpoint holds three integers and a restored stream produces
 * exactly the numbers the uninterrupted one would have. Streams are split by
 * name from one seed, like `nnx.Rngs` or JAX's `fold_in`.
 */

/** Plain-data state of one stream: the key words and how many 32-bit words were drawn. */
export interface RngState {
  /** First key word (uint32). */
  key0: number;
  /** Second key word (uint32). */
  key1: number;
  /** Number of 32-bit words already drawn from this stream (an integer below 2^53). */
  counter: number;
}

const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;
const PHILOX_ROUNDS = 10;
const TWO_POW_32 = 4294967296;
// Multiplying by a power of two is exact, and cheaper than dividing.
const TWO_POW_MINUS_16 = 1 / 65536;

// The multipliers split in 16-bit halves, for mulHi.
const M0_LO = PHILOX_M0 & 0xffff;
const M0_HI = PHILOX_M0 >>> 16;
const M1_LO = PHILOX_M1 & 0xffff;
const M1_HI = PHILOX_M1 >>> 16;

/**
 * High 32 bits of the 64-bit product a × m for uint32 a and m = mHi·2^16 + mLo.
 * Both partial products are below 2^48, so every step is an exact double
 * (no typed-array scratch, no 16×16 split of a): the hot loop of every draw.
 */
function mulHi(a: number, mLo: number, mHi: number): number {
  return Math.floor((a * mHi + Math.floor(a * mLo * TWO_POW_MINUS_16)) * TWO_POW_MINUS_16);
}

/** Philox4x32-10 block function: four uint32 outputs for a 128-bit counter and a 64-bit key. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let r = 0; r < PHILOX_ROUNDS; r++) {
    const hi0 = mulHi(x0, M0_LO, M0_HI);
    const lo0 = Math.imul(x0, PHILOX_M0) >>> 0;
    const hi1 = mulHi(x2, M1_LO, M1_HI);
    const lo1 = Math.imul(x2, PHILOX_M1) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + PHILOX_W0) >>> 0;
    key1 = (key1 + PHILOX_W1) >>> 0;
  }
  out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
  return out;
}

/** FNV-1a hash of a string to uint32; names a stream deterministically. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Derives a child key from a parent key and a uint32 tag (JAX's fold_in). */
export function foldIn(key0: number, key1: number, tag: number): [number, number] {
  const out = philox4x32(tag >>> 0, 0x5eed5eed, 0, 0, key0, key1);
  return [out[0], out[1]];
}

/** A key derived from an integer seed (seeds up to 2^53 keep their high bits). */
export function keyFromSeed(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
  const lo = seed % TWO_POW_32;
  const hi = Math.floor(seed / TWO_POW_32);
  const out = philox4x32(lo, hi, 0x726e6773 /* "rngs" */, 0, 0, 0);
  return [out[0], out[1]];
}

/**
 * One random stream. Each draw is a pure function of (key, counter), so
 * `getState()`/`setState()` round-trip it exactly.
 */
export class RngStream {
  private key0: number;
  private key1: number;
  private counter: number;
  // Cache of the last generated block; derived data, never part of the state.
  private cachedBlock = -1;
  private readonly block = new Uint32Array(4);

  constructor(state: RngState) {
    this.key0 = state.key0 >>> 0;
    this.key1 = state.key1 >>> 0;
    this.counter = state.counter;
  }

  /** A stream keyed by `seed` and a name path, e.g. `fromSeed(0, 'data', 'shuffle')`. */
  static fromSeed(seed: number, ...names: string[]): RngStream {
    let [k0, k1] = keyFromSeed(seed);
    for (const name of names) [k0, k1] = foldIn(k0, k1, hashName(name));
    return new RngStream({ key0: k0, key1: k1, counter: 0 });
  }

  /** An independent child stream for `name` (its own key; this stream is not advanced). */
  child(name: string | number): RngStream {
    const tag = typeof name === 'number' ? name >>> 0 : hashName(name);
    const [k0, k1] = foldIn(this.key0, this.key1, tag);
    return new RngStream({ key0: k0, key1: k1, counter: 0 });
  }

  /** The plain-data state: three integers. */
  getState(): RngState {
    return { key0: this.key0, key1: this.key1, counter: this.counter };
  }

  /** Replaces the state; the next draw continues exactly where `state` left off. */
  setState(state: RngState): void {
    if (!Number.isSafeInteger(state.counter) || state.counter < 0) {
      throw new RangeError(`rng counter must be a non-negative safe integer, got ${state.counter}`);
    }
    this.key0 = state.key0 >>> 0;
    this.key1 = state.key1 >>> 0;
    this.counter = state.counter;
    this.cachedBlock = -1;
  }

  /** Next uniform uint32. */
  nextUint32(): number {
    const blockIndex = Math.floor(this.counter / 4);
    const lane = this.counter % 4;
    if (blockIndex !== this.cachedBlock) {
      philox4x32(blockIndex % TWO_POW_32, Math.floor(blockIndex / TWO_POW_32), 0, 0,
        this.key0, this.key1, this.block);
      this.cachedBlock = blockIndex;
    }
    this.counter++;
    return this.block[lane];
  }

  /** Uniform float in [0, 1) with 32 bits of randomness (exact in float64). */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n) without modulo bias (rejection sampling). */
  nextInt(n: number): number {
    if (!(n > 0 && n <= TWO_POW_32 && Number.isInteger(n))) throw new RangeError(`nextInt: bad bound ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /** Standard normal sample (Box–Muller, two words per sample, no cached spare). */
  nextNormal(): number {
    // 1 - u keeps the log argument in (0, 1].
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Fills `out` with the next words of the stream: the same words, and the
   * same state afterwards, as `out.length` calls of nextUint32, but whole
   * blocks are written straight out (the data pipeline draws ~50k words a batch).
   */
  fillUint32(out: Uint32Array): void {
    const n = out.length;
    let i = 0;
    while (i < n && this.counter % 4 !== 0) out[i++] = this.nextUint32();
    if (n - i >= 4) {
      let blockIndex = this.counter / 4;
      const b = this.block;
      for (; n - i >= 4; i += 4, blockIndex++) {
        philox4x32(blockIndex % TWO_POW_32, Math.floor(blockIndex / TWO_POW_32), 0, 0, this.key0, this.key1, b);
        out[i] = b[0]; out[i + 1] = b[1]; out[i + 2] = b[2]; out[i + 3] = b[3];
      }
      this.cachedBlock = blockIndex - 1;
      this.counter = blockIndex * 4;
    }
    while (i < n) out[i++] = this.nextUint32();
  }

  /** Fills `out` with standard normals, bit-identical to (and advancing the stream like) `out.length` calls of nextNormal. */
  fillNormals(out: Float64Array): void {
    const words = new Uint32Array(2 * out.length);
    this.fillUint32(words);
    for (let i = 0; i < out.length; i++) {
      const u1 = 1 - words[2 * i] / TWO_POW_32;
      const u2 = words[2 * i + 1] / TWO_POW_32;
      out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  }
}
