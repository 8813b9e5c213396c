/**
 * Compiles the backend's kernels for the configured model while the page is
 * idle: on load, and again when a field that changes the model's shape or
 * the backend changes, so the first step after Run does not wait for shader
 * compilation. A run started during a warm-up waits for it in the worker.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunConfig } from '../core/config';
import type { SessionEvent } from '../protocol';
import type { EngineHandle } from './useEngine';
import { WARM_UP } from './uiFlags';

/** Waits this long after the last change to the form before warming up, in milliseconds. */
const WARM_UP_DEBOUNCE_MS = 600;

/** Where the warm-up stands. */
export type WarmUpState = { state: 'off' } | { state: 'warming'; backend: string } | { state: 'ready'; backend: string; ms: number } | { state: 'failed'; message: string };

/** The config's parts that decide which kernels a run compiles. */
export function warmUpKey(c: RunConfig): string {
  return JSON.stringify([c.backend, c.dataset, c.samples, c.model, c.hidden, c.activation, c.optimizer, c.batch, c.pitfall === 'tfjs-setweights']);
}

/** Warms up while idle; says where it stands. */
export function useWarmUp({ engine, config, idle }: {
  engine: Pick<EngineHandle, 'call' | 'report' | 'subscribe'>; config: RunConfig | null; idle: boolean;
}): WarmUpState {
  const { call, report, subscribe } = engine;
  const [state, setState] = useState<WarmUpState>({ state: 'off' });
  // Per worker (its report), the configs already warmed.
  const warmed = useRef<{ report: unknown; keys: Set<string> }>({ report: null, keys: new Set() });

  useEffect(() => subscribe((events: SessionEvent[]) => {
    for (const e of events) {
      if (e.type !== 'warmup') continue;
      if (e.state === 'start') setState({ state: 'warming', backend: report?.backend ?? '' });
      else setState({ state: 'ready', backend: report?.backend ?? '', ms: e.ms });
    }
  }), [subscribe, report]);

  const key = config ? warmUpKey(config) : null;
  useEffect(() => {
    if (!WARM_UP || !config || !key || !idle || !report || report.backend !== config.backend) return;
    if (warmed.current.report !== report) warmed.current = { report, keys: new Set() };
    if (warmed.current.keys.has(key)) return;
    const timer = setTimeout(() => {
      warmed.current.keys.add(key);
      call('warmUp', { config }).catch((e: unknown) => setState({ state: 'failed', message: e instanceof Error ? e.message : String(e) }));
    }, WARM_UP_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // The key stands for the config's relevant fields.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, idle, report, call]);

  return state;
}
