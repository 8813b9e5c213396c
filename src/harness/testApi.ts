/**
 * A typed test API on `window.resumable`, so headless drivers (verify,
 * benchmarks, Playwright) run the real page and worker without clicking.
 */
import type { SessionEvent } from '../session/session';
import type { Api } from '../protocol';
import { EngineClient } from '../worker/client';

/** The test API's surface. */
export interface TestApi {
  /** Starts the engine on a backend; resolves with what actually runs. */
  init(backend: Api['init']['params']['backend'], strict?: boolean, flagOverrides?: Record<string, number | boolean>): Promise<Api['init']['result']>;
  /** Calls any worker method. */
  call<M extends keyof Api>(method: M, params: Api[M]['params']): Promise<Api[M]['result']>;
  /** The last step event seen (for drivers that poll progress). */
  lastStep(): Extract<SessionEvent, { type: 'step' }> | null;
  /** Every event seen since the page loaded. */
  events(): SessionEvent[];
  /** Terminates the worker at once (a crash of the training, not of the page). */
  killWorker(): void;
}

declare global {
  interface Window {
    /** Test API, installed by `installTestApi`. */
    resumable?: TestApi;
  }
}

/** Installs `window.resumable` over a dedicated engine client and returns it. */
export function installTestApi(client: EngineClient = new EngineClient()): TestApi {
  const seen: SessionEvent[] = [];
  let last: Extract<SessionEvent, { type: 'step' }> | null = null;
  client.onEvents((events) => {
    for (const e of events) {
      seen.push(e);
      if (e.type === 'step') last = e;
    }
  });
  const api: TestApi = {
    init: (backend, strict = false, flagOverrides) => client.call('init', { backend, strict, assetBase: document.baseURI, flagOverrides }),
    call: (method, params) => client.call(method, params),
    lastStep: () => last,
    events: () => seen.slice(),
    killWorker: () => client.terminate(),
  };
  window.resumable = api;
  return api;
}
