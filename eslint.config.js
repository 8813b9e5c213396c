import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layers and their one-way doors (README, "Layout"). Each room lists the
 * rooms it must not import from; the rule checks every import, types included.
 *   core        ← everything       (tree, errors, config, hashes, constants, rpc, units)
 *   engine      ← core             (rng, data, model, optimizers, trainer, backend)
 *   checkpoint  ← core             (format, file, store, commit, manager, reader, retention, integrity, writer)
 *   session     ← engine, checkpoint, core
 *   worker      ← session, engine, checkpoint, core, protocol
 *   ui          ← protocol, core, worker/client
 *   harness     ← anything but ui  (test and bench APIs, loaded only under ?testapi / ?bench)
 */
const room = (name) => [`**/${name}`, `**/${name}/**`];
const ROOMS = { core: room('core'), engine: room('engine'), checkpoint: room('checkpoint'), session: room('session'), worker: room('worker'), ui: room('ui'), harness: room('harness'), protocol: ['**/protocol'] };
const UI_LIBS = ['react', 'react-dom', 'react-dom/*', 'recharts'];
const TFJS = ['@tensorflow/*'];

/** A no-restricted-imports rule closing the doors to `rooms` (and to the listed packages) from one room. */
function doors(from, rooms, packages = []) {
  return ['error', {
    patterns: [
      ...rooms.map((r) => ({ group: ROOMS[r], message: `${from} must not import from ${r}: see the layers in eslint.config.js and the README.` })),
      ...(packages.length ? [{ group: packages, message: `${from} must not import ${packages.join(', ')}.` }] : []),
    ],
  }];
}

// The engine, the checkpoint layer and the core know no screen and no hidden randomness:
// no DOM, no Math.random. Randomness comes from explicit RNG streams.
const noScreen = {
  'no-restricted-globals': ['error',
    { name: 'document', message: 'No DOM here.' },
    { name: 'window', message: 'No DOM here.' },
    { name: 'localStorage', message: 'No DOM storage here: use the checkpoint store.' },
  ],
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'Use an explicit RngStream (src/engine/rng.ts).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/engine/**/*.ts', 'src/checkpoint/**/*.ts', 'src/harness/bench/**/*.ts'],
    // The bench API runs on the page; everything else here runs in workers or in Node.
    ignores: ['src/harness/bench/benchApi.ts'],
    languageOptions: { globals: { ...globals.worker, ...globals.node } },
    rules: noScreen,
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': doors('src/core', ['engine', 'checkpoint', 'session', 'worker', 'ui', 'harness', 'protocol'], [...UI_LIBS, ...TFJS]) } },
  { files: ['src/engine/**/*.ts'], rules: { 'no-restricted-imports': doors('src/engine', ['checkpoint', 'session', 'worker', 'ui', 'harness', 'protocol'], UI_LIBS) } },
  { files: ['src/checkpoint/**/*.ts'], rules: { 'no-restricted-imports': doors('src/checkpoint', ['engine', 'session', 'worker', 'ui', 'harness', 'protocol'], [...UI_LIBS, ...TFJS]) } },
  { files: ['src/session/**/*.ts'], rules: { 'no-restricted-imports': doors('src/session', ['worker', 'ui', 'harness', 'protocol'], UI_LIBS) } },
  { files: ['src/worker/**/*.ts'], rules: { 'no-restricted-imports': doors('src/worker', ['ui', 'harness'], UI_LIBS) } },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...ROOMS.engine, ...ROOMS.checkpoint, ...ROOMS.session], message: 'The UI sees only src/protocol.ts and src/core: import the type from ../protocol.' },
          { group: ['**/worker/*', '!**/worker/client'], message: 'The UI talks to the engine worker through worker/client only.' },
          { group: TFJS, message: 'TF.js runs in the worker, never on the page.' },
        ],
      }],
    },
  },
  { files: ['src/harness/**/*.ts'], rules: { 'no-restricted-imports': doors('src/harness', ['ui']) } },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
