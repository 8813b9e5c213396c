/** The checkpoint layer: durable, verified, all-or-nothing checkpoints of a state tree in IndexedDB. */
export { decodeCheckpointFile, encodeCheckpointFile } from './file';
export { encodeRecord, packRecord, type CheckpointInfo, type CheckpointMeta, type CheckpointRecord } from './format';
export { assertFitsTemplate, compareWithTemplate, type Fingerprint, type TemplateProblem } from './integrity';
export { CheckpointManager, deleteRun, listRunIds, type SaveMeta } from './manager';
export { exportCheckpoint, inspectCheckpoint, listCheckpoints, restoreCheckpoint, type CheckpointInspection, type TensorInfo } from './reader';
export { createStrictStore, runKeys, allRunsRange, parseRunKey, type Store } from './store';
export { serveCommits, workerCommitter, type Committer } from './writer';
