import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED, paceOf, searchWithSpeed, speedFromSearch, speedLabel } from './pace';

describe('speed in the URL', () => {
  it('reads every offered speed and falls back to the default for anything else', () => {
    expect(speedFromSearch('?speed=max')).toBeNull();
    expect(speedFromSearch('?speed=30')).toBe(30);
    expect(speedFromSearch('?speed=1')).toBe(1);
    expect(speedFromSearch('')).toBe(DEFAULT_SPEED);
    expect(speedFromSearch('?speed=7')).toBe(DEFAULT_SPEED);
    expect(speedFromSearch('?speed=-1')).toBe(DEFAULT_SPEED);
  });

  it('writes the speed and keeps the other parameters', () => {
    const q = searchWithSpeed('?dataset=moons&speed=3', null);
    expect(new URLSearchParams(q).get('dataset')).toBe('moons');
    expect(speedFromSearch(q)).toBeNull();
  });

  it('labels speeds and turns them into a pace', () => {
    expect(speedLabel(null)).toBe('Max');
    expect(speedLabel(1)).toBe('1 step/s');
    expect(speedLabel(10)).toBe('10 steps/s');
    expect(paceOf(10, true)).toEqual({ stepsPerSecond: 10, paused: true });
  });
});
