export { AppendedRecords } from './appended-records.js';
export { type BackupOptions, backupTopic, type Progress, readTopicConfig } from './backup.js';
export { BatchQueue, batchBytes } from './batch-queue.js';
export {
  BACKUP_ERROR_CODES,
  BackupAbortedError,
  BackupError,
  type BackupErrorCode,
  BackupInvalidOptionsError,
  BackupKafkaUnavailableError,
  BackupLockedError,
  BackupManifestInvalidError,
  BackupManifestMissingError,
  BackupReplicaMismatchError,
  BackupSegmentCorruptError,
  BackupSegmentMissingError,
  BackupStateMismatchError,
  BackupStorageUnavailableError,
  BackupTopicIncompatibleError,
  BackupTopicMissingError,
  isBackupError,
} from './errors.js';
export { type BackupListing, listBackedUpTopics, listBackups } from './list.js';
export { type HeldLock, inProcessLock, type TopicLock } from './lock.js';
export {
  backupPrefix,
  manifestKey,
  newBackupId,
  replicationKey,
  segmentKey,
  verificationKey,
} from './object-keys.js';
export { OffsetIndex } from './offset-index.js';
export { ProducedRecords } from './produced-records.js';
export {
  backupIdTime,
  type PruneOptions,
  pruneBackups,
  type RetentionPolicy,
  selectForDeletion,
} from './prune.js';
export { RecordDecoder, RecordEncoder, type SegmentRecord } from './record-codec.js';
export {
  type BackupRecord,
  decodeRecord,
  encodeRecord,
  type Line,
  lineToRecord,
  parseLine,
} from './record-line.js';
export { type ReplicateOptions, type ReplicationStatus, replicateBackup } from './replicate.js';
export { type RestoreOptions, type RestoreResult, restoreBackup } from './restore.js';
export { readTopicState } from './restore-state.js';
export { RunBuffers } from './run-buffers.js';
export { applyRun } from './run-state.js';
export { openStore, type S3Location } from './s3.js';
export { diffStates, MismatchCounter, type PlannedDiff, type StateDiff, TopicState } from './state.js';
export { captureOffsets, type PartitionRange, readToOffsets } from './topic-reader.js';
export { loadManifest, type VerificationResult, type VerifyOptions, verifyBackup } from './verify.js';
