import { describe, expect, it } from 'vitest';
import { fmt, fmtRange, formatBytes, mark, mdTable, range, textTable } from './format';

describe('formatting', () => {
  it('formats numbers, ranges and bytes', () => {
    expect(fmt(NaN)).toBe('—');
    expect(fmt(null)).toBe('—');
    expect(fmt(0)).toBe('0');
    expect(fmt(0.012345)).toBe('0.0123');
    expect(fmt(12345.6)).toBe('12346');
    expect(fmtRange(range([0.93, 0.8, 1.012]))).toBe('0.80–1.01');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(512)).toBe('512 B');
    expect([mark(true), mark(false), mark(null)]).toEqual(['yes', 'NO', '']);
  });

  it('lays out text and Markdown tables', () => {
    expect(mdTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
    expect(textTable(['name', 'n'], [['ab', '10'], ['c', '2']])).toBe('name   n\n----  --\nab    10\nc      2');
  });
});
