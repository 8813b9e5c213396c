/**
 * Page switches read once from the URL. `?warmup=off` skips compiling the
 * backend's kernels before a run (the bench's before/after). `?uiThrottle=off` turns every
 * refresh throttle off (batched publishing of the live run, the memoized
 * chart frames, the checkpoint panels' refresh interval, the worker's event
 * coalescing): the render-budget spec's negative control, and a way to see
 * what the throttles save.
 */

/** False under `?uiThrottle=off`. */
export const UI_THROTTLE: boolean = typeof location === 'undefined' || new URLSearchParams(location.search).get('uiThrottle') !== 'off';

/** False under `?warmup=off`. */
export const WARM_UP: boolean = typeof location === 'undefined' || new URLSearchParams(location.search).get('warmup') !== 'off';
