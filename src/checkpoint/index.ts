/** Public API of the checkpoint layer: durable, verified, all-or-nothing checkpoints in IndexedDB. */
export { crc32c } from './crc32c';
export { xxh32 } from './xxh32';
export { planWrite, shouldSave, stepsToPrune, type WritePlan } from './retention';
export { assertFitsTemplate, compareWithTemplate, type Fingerprint, type ProblemKind, type TemplateProblem } from './validate';
export {
  checkFormatVersion, checkRecord, checksumRecord, decodeCheckpointFile, decodeRecord, encodeCheckpointFile, encodeRecord, packRecord, recordInfo, stateTree, tensorChecksumOk, checksumName,
  type CheckpointInfo, type CheckpointMeta, type ChecksumKind, type CheckpointRecord, type StoredNumber, type StoredTensor,
} from './codec';
export { allRunsRange, createStrictStore, isStorageFull, parseRunKey, runKeys, type RunKeys } from './store';
export { checkManifest, commitCheckpoint, readManifest, type CommitPlan, type Manifest } from './commit';
export {
  CheckpointManager, deleteRun, listRunIds, readPayload,
  type CheckpointInspection, type CheckpointManagerOptions, type SaveMeta, type TensorInfo,
} from './manager';
export { serveCommits, workerCommitter, type Committer, type WriterEndpoint, type WriterReply, type WriterRequest, type WriterScope } from './writer';
export {
  findInterruptedRun, getRunRecord, listRunRecords, putRunRecord, type RunRecord, type RunStatus, type RunVerdict,
} from './runRecord';
