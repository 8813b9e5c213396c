import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('public API', () => {
  it('exports exactly the checkpoint layer’s functions and classes', () => {
    expect(Object.keys(api).sort()).toEqual([
      'CheckpointManager', 'allRunsRange', 'assertFitsTemplate', 'checkFormatVersion', 'checkRecord', 'compareWithTemplate',
      'crc32c', 'createStrictStore', 'decodeCheckpointFile', 'decodeRecord', 'deleteRun', 'encodeCheckpointFile', 'encodeRecord',
      'findInterruptedRun', 'getRunRecord', 'isStorageFull', 'listRunIds', 'listRunRecords', 'parseRunKey', 'putRunRecord',
      'readManifest', 'recordInfo', 'runKeys', 'shouldSave', 'stateTree', 'stepsToPrune',
    ]);
    for (const name of Object.keys(api)) expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
  });
});
