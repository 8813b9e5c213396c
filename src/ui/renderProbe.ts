/**
 * Counts what the page does per refresh, for the render-budget spec and the
 * bench: React commits per named part of the page, engine event batches and
 * step events received, and live-run publishes. Counting is a few integer
 * increments per commit, so it is always on; drivers read and reset it
 * through `window.resumableRenders`.
 */
import { useEffect } from 'react';

/** What the page counted since it loaded or since the last reset. */
export interface RenderCounts {
  /** React commits per part of the page (a part counts once per commit in which it re-rendered). */
  commits: Record<string, number>;
  /** Batches of engine events the page received. */
  eventBatches: number;
  /** Step events among them. */
  stepEvents: number;
  /** Snapshots of the live run handed to React (one per refresh). */
  publishes: number;
}

/** The probe's surface on `window.resumableRenders`. */
export interface RenderProbe {
  /** A copy of the counts. */
  read(): RenderCounts;
  /** Zeroes every count. */
  reset(): void;
}

declare global {
  interface Window {
    /** Render counts, installed by installRenderProbe. */
    resumableRenders?: RenderProbe;
  }
}

const fresh = (): RenderCounts => ({ commits: {}, eventBatches: 0, stepEvents: 0, publishes: 0 });
let counts = fresh();

/** Counts one commit of `part` after every render of the calling component. */
export function useCommitCount(part: string): void {
  useEffect(() => {
    counts.commits[part] = (counts.commits[part] ?? 0) + 1;
  });
}

/** A component that renders nothing and counts its commits: placed inside a memoized element, it counts that element's re-renders. */
export function RenderProbe({ part }: { part: string }): null {
  useCommitCount(part);
  return null;
}

/** Counts one batch of engine events holding `steps` step events. */
export function countEventBatch(steps: number): void {
  counts.eventBatches++;
  counts.stepEvents += steps;
}

/** Counts one publish of the live run. */
export function countPublish(): void {
  counts.publishes++;
}

/** Installs `window.resumableRenders`. */
export function installRenderProbe(): void {
  window.resumableRenders = {
    read: () => ({ ...counts, commits: { ...counts.commits } }),
    reset: () => { counts = fresh(); },
  };
}
