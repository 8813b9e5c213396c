import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('public API', () => {
  it('exports exactly the checkpoint layer’s functions and classes', () => {
    expect(Object.keys(api).sort()).toEqual([
      'CheckpointManager', 'allRunsRange', 'assertFitsTemplate', 'checkFormatVersion', 'checkManifest', 'checkRecord', 'checksumName', 'checksumRecord', 'commitCheckpoint',
      'compareWithTemplate', 'crc32c', 'createStrictStore', 'decodeCheckpointFile', 'decodeRecord', 'deleteRun', 'encodeCheckpointFile', 'encodeRecord',
      'findInterruptedRun', 'getRunRecord', 'isStorageFull', 'listRunIds', 'listRunRecords', 'packRecord', 'parseRunKey', 'planWrite', 'putRunRecord',
      'readManifest', 'readPayload', 'recordInfo', 'runKeys', 'serveCommits', 'shouldSave', 'stateTree', 'stepsToPrune', 'tensorChecksumOk', 'workerCommitter', 'xxh32',
    ]);
    for (const name of Object.keys(api)) expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
  });
});
