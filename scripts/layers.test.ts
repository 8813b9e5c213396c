/**
 * The lint rules that hold the layers' doors (eslint.config.js) are checked
 * here against imports they must refuse and imports they must allow, so a
 * rule that stops matching fails this test instead of silently letting a
 * door open.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The layer rule's verdict on one import line placed in `file` (repository-relative). */
async function refuses(file: string, importLine: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = [x];\n`, { filePath: file });
  return result.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer doors', () => {
  it.each([
    ['src/checkpoint/x.ts', "import { x } from '../engine/trainer';"],
    ['src/checkpoint/x.ts', "import type { x } from '../session/session';"],
    ['src/checkpoint/x.ts', "import * as x from '@tensorflow/tfjs';"],
    ['src/engine/x.ts', "import { x } from '../checkpoint';"],
    ['src/engine/data/x.ts', "import type { x } from '../../checkpoint/commit';"],
    ['src/engine/x.ts', "import { x } from 'react';"],
    ['src/core/x.ts', "import type { x } from '../engine/trainer';"],
    ['src/core/x.ts', "import type { x } from '../protocol';"],
    ['src/session/x.ts', "import type { x } from '../protocol';"],
    ['src/session/x.ts', "import { x } from '../worker/client';"],
    ['src/worker/x.ts', "import { x } from '../ui/App';"],
    ['src/ui/x.ts', "import type { x } from '../session/verdict';"],
    ['src/ui/x.ts', "import type { x } from '../checkpoint';"],
    ['src/ui/x.ts', "import { x } from '../engine/data/synthetic';"],
    ['src/ui/x.ts', "import { x } from '../worker/engine.worker';"],
    ['src/ui/x.ts', "import * as x from '@tensorflow/tfjs';"],
    ['src/harness/x.ts', "import { x } from '../ui/App';"],
  ])('%s refuses %s', async (file, line) => {
    expect(await refuses(file, line)).toBe(true);
  });

  it.each([
    ['src/checkpoint/x.ts', "import { x } from '../core/tree';"],
    ['src/engine/x.ts', "import { x } from '../core/config';"],
    ['src/session/x.ts', "import { x } from '../engine/trainer';"],
    ['src/session/x.ts', "import { x } from '../checkpoint';"],
    ['src/worker/x.ts', "import { x } from '../session/session';"],
    ['src/ui/x.ts', "import type { x } from '../protocol';"],
    ['src/ui/x.ts', "import { x } from '../core/config';"],
    ['src/ui/x.ts', "import { x } from '../worker/client';"],
    ['src/harness/x.ts', "import { x } from '../engine/trainer';"],
  ])('%s allows %s', async (file, line) => {
    expect(await refuses(file, line)).toBe(false);
  });
});
