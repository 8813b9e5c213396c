import { describe, expect, it } from 'vitest';
import { formatBytes } from './units';

describe('formatBytes', () => {
  it('uses binary units with one decimal above a KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(15155)).toBe('14.8 KiB');
    expect(formatBytes(1.2 * 2 ** 20)).toBe('1.2 MiB');
    expect(formatBytes(3 * 2 ** 30)).toBe('3.0 GiB');
  });

  it('shows a dash for what is not a byte count', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(NaN)).toBe('—');
    expect(formatBytes(Infinity)).toBe('—');
  });
});
