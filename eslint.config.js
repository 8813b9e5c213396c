import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The engine, checkpoint and worker-side bench code know no screen and no hidden randomness:
// no React, no DOM, no Math.random. Randomness comes from explicit RNG streams.
const engineRules = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'src/engine and src/checkpoint must not import UI code.' },
      { group: ['**/ui/**', '../ui/*'], message: 'src/engine and src/checkpoint must not import UI code.' },
    ],
  }],
  'no-restricted-globals': ['error',
    { name: 'document', message: 'No DOM in the engine.' },
    { name: 'window', message: 'No DOM in the engine.' },
    { name: 'localStorage', message: 'No DOM storage in the engine: use the checkpoint store.' },
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
    files: ['src/engine/**/*.ts', 'src/checkpoint/**/*.ts', 'src/bench/**/*.ts'],
    languageOptions: { globals: { ...globals.worker, ...globals.node } },
    rules: engineRules,
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
