import { describe, expect, it } from 'vitest';
import { CheckpointCorruptError, StructureMismatchError, reviveError, serializeError } from './errors';

describe('errors across the worker boundary', () => {
  it('rebuild the same named subclass with details', () => {
    const e = new StructureMismatchError('model/dense_0/kernel: shape', { problems: [{ path: 'model/dense_0/kernel' }] });
    const back = reviveError(structuredClone(serializeError(e)));
    expect(back).toBeInstanceOf(StructureMismatchError);
    expect(back.name).toBe('StructureMismatchError');
    expect((back as StructureMismatchError).details).toEqual(e.details);
    expect(back.message).toBe(e.message);
  });

  it('names survive independently of the class identifier (minified builds)', () => {
    expect(new CheckpointCorruptError('x').name).toBe('CheckpointCorruptError');
    expect(String(new CheckpointCorruptError('bad crc'))).toBe('CheckpointCorruptError: bad crc');
  });

  it('unknown errors come back as plain Errors with their name', () => {
    const back = reviveError(serializeError(new TypeError('boom')));
    expect(back.name).toBe('TypeError');
    expect(back.message).toBe('boom');
    expect(reviveError(serializeError('str')).message).toBe('str');
  });
});
