/**
 * The speed control's choices and their place in the URL (`?speed=`), so a
 * link sets the pace too. The pace changes when steps run, never what they
 * compute.
 */
import type { Pace } from '../protocol';

/** Speeds a person can pick, in steps per second; null = as fast as the backend allows. */
export const SPEEDS: ReadonlyArray<number | null> = [null, 30, 10, 3, 1];
/** The speed a run starts at: slow enough to watch the curve grow and choose when to crash. */
export const DEFAULT_SPEED = 3;
/** The URL parameter holding the speed. */
export const SPEED_PARAM = 'speed';

/** How a speed reads in the URL and in the control. */
export function speedKey(speed: number | null): string {
  return speed === null ? 'max' : String(speed);
}

/** A speed's label for people. */
export function speedLabel(speed: number | null): string {
  return speed === null ? 'Max' : `${speed} step${speed === 1 ? '' : 's'}/s`;
}

/** The speed a URL query asks for: one of SPEEDS, else the default. */
export function speedFromSearch(search: string): number | null {
  const v = new URLSearchParams(search).get(SPEED_PARAM);
  const found = SPEEDS.find((s) => speedKey(s) === v);
  return found === undefined ? DEFAULT_SPEED : found;
}

/** The query with the speed written into it, keeping every other parameter. */
export function searchWithSpeed(search: string, speed: number | null): string {
  const params = new URLSearchParams(search);
  params.set(SPEED_PARAM, speedKey(speed));
  return `?${params.toString()}`;
}

/** The pace the engine gets for a speed and a pause. */
export function paceOf(speed: number | null, paused: boolean): Pace {
  return { stepsPerSecond: speed, paused };
}
