import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors';
import { defineSource, type SourceSpec } from './source';

const spec = (): SourceSpec => ({
  name: 'xor',
  numClasses: 2,
  sampleShape: [2],
  train: { x: Float32Array.from([0, 1, 2, 3]), y: Int32Array.from([0, 1]), n: 2 },
  test: { x: Float32Array.from([4, 5]), y: Int32Array.from([1]), n: 1 },
});

describe('defineSource', () => {
  it('derives features and a numeric fingerprint that follows every value', () => {
    const s = defineSource(spec());
    expect(s.features).toBe(2);
    const fp = s.fingerprint();
    expect(fp).toMatchObject({ train: 2, test: 1, features: 2, classes: 2 });
    expect(Object.values(fp).every((v) => typeof v === 'number')).toBe(true);
    const other = spec();
    other.test.x[1] = 5.0001;
    expect(defineSource(other).fingerprint().checksum).not.toBe(fp.checksum);
    const relabelled = spec();
    relabelled.train.y[0] = 1;
    expect(defineSource(relabelled).fingerprint().checksum).not.toBe(fp.checksum);
  });

  it('hands out copies of the fingerprint', () => {
    const s = defineSource(spec());
    s.fingerprint().checksum = 0;
    expect(s.fingerprint().checksum).not.toBe(0);
  });

  it('refuses inconsistent splits and out-of-range labels', () => {
    const short = spec();
    short.train.n = 3;
    expect(() => defineSource(short)).toThrow(InvalidInputError);
    const badLabel = spec();
    badLabel.test.y[0] = 2;
    expect(() => defineSource(badLabel)).toThrow(/label 2/);
    const empty = { ...spec(), test: { x: new Float32Array(0), y: new Int32Array(0), n: 0 } };
    expect(() => defineSource(empty)).toThrow(/at least one/);
  });
});
