/** Every error s3-backup raises; callers branch on `code`, not on instanceof. */
export type BackupErrorCode =
  | 'BACKUP_INVALID_OPTIONS'
  | 'BACKUP_MANIFEST_MISSING'
  | 'BACKUP_MANIFEST_INVALID'
  | 'BACKUP_SEGMENT_MISSING'
  | 'BACKUP_SEGMENT_CORRUPT'
  | 'BACKUP_REPLICA_MISMATCH'
  | 'BACKUP_TOPIC_MISSING'
  | 'BACKUP_TOPIC_INCOMPATIBLE'
  | 'BACKUP_LOCKED'
  | 'BACKUP_STATE_MISMATCH'
  | 'BACKUP_STORAGE_UNAVAILABLE'
  | 'BACKUP_KAFKA_UNAVAILABLE'
  | 'BACKUP_ABORTED';

export abstract class BackupError extends Error {
  abstract readonly code: BackupErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option is missing or malformed; the message names the field. */
export class BackupInvalidOptionsError extends BackupError {
  static readonly code = 'BACKUP_INVALID_OPTIONS';
  readonly code = BackupInvalidOptionsError.code;
  readonly retryable = false;
}

/** No manifest object: the backup does not exist or never completed. */
export class BackupManifestMissingError extends BackupError {
  static readonly code = 'BACKUP_MANIFEST_MISSING';
  readonly code = BackupManifestMissingError.code;
  readonly retryable = false;
}

/** The manifest exists but does not match the schema or its own segments. */
export class BackupManifestInvalidError extends BackupError {
  static readonly code = 'BACKUP_MANIFEST_INVALID';
  readonly code = BackupManifestInvalidError.code;
  readonly retryable = false;
}

/** A segment named in the manifest is not in the bucket. */
export class BackupSegmentMissingError extends BackupError {
  static readonly code = 'BACKUP_SEGMENT_MISSING';
  readonly code = BackupSegmentMissingError.code;
  readonly retryable = false;
}

/** A segment's bytes, checksum, record count or records disagree with the manifest. */
export class BackupSegmentCorruptError extends BackupError {
  static readonly code = 'BACKUP_SEGMENT_CORRUPT';
  readonly code = BackupSegmentCorruptError.code;
  readonly retryable = false;
}

/** The replica's copy of an object differs in size or checksum from the primary's. */
export class BackupReplicaMismatchError extends BackupError {
  static readonly code = 'BACKUP_REPLICA_MISMATCH';
  readonly code = BackupReplicaMismatchError.code;
  readonly retryable = true;
}

/** The topic to back up or restore into does not exist. */
export class BackupTopicMissingError extends BackupError {
  static readonly code = 'BACKUP_TOPIC_MISSING';
  readonly code = BackupTopicMissingError.code;
  readonly retryable = false;
}

/** The restore target's configuration (cleanup.policy) differs from the backed-up topic's. */
export class BackupTopicIncompatibleError extends BackupError {
  static readonly code = 'BACKUP_TOPIC_INCOMPATIBLE';
  readonly code = BackupTopicIncompatibleError.code;
  readonly retryable = false;
}

/** Another backup or restore holds the topic's lock. */
export class BackupLockedError extends BackupError {
  static readonly code = 'BACKUP_LOCKED';
  readonly code = BackupLockedError.code;
  readonly retryable = true;
}

/** After a restore, the target's state hash differs from the manifest's (something wrote concurrently). */
export class BackupStateMismatchError extends BackupError {
  static readonly code = 'BACKUP_STATE_MISMATCH';
  readonly code = BackupStateMismatchError.code;
  readonly retryable = true;
}

/** S3 could not be reached or answered with a server error. */
export class BackupStorageUnavailableError extends BackupError {
  static readonly code = 'BACKUP_STORAGE_UNAVAILABLE';
  readonly code = BackupStorageUnavailableError.code;
  readonly retryable = true;
}

/** Kafka could not be reached or refused a request that may succeed later. */
export class BackupKafkaUnavailableError extends BackupError {
  static readonly code = 'BACKUP_KAFKA_UNAVAILABLE';
  readonly code = BackupKafkaUnavailableError.code;
  readonly retryable = true;
}

/** The caller's AbortSignal fired; nothing acknowledged is lost and a re-run resumes. */
export class BackupAbortedError extends BackupError {
  static readonly code = 'BACKUP_ABORTED';
  readonly code = BackupAbortedError.code;
  readonly retryable = true;
}

export const BACKUP_ERROR_CODES: readonly BackupErrorCode[] = [
  BackupInvalidOptionsError.code,
  BackupManifestMissingError.code,
  BackupManifestInvalidError.code,
  BackupSegmentMissingError.code,
  BackupSegmentCorruptError.code,
  BackupReplicaMismatchError.code,
  BackupTopicMissingError.code,
  BackupTopicIncompatibleError.code,
  BackupLockedError.code,
  BackupStateMismatchError.code,
  BackupStorageUnavailableError.code,
  BackupKafkaUnavailableError.code,
  BackupAbortedError.code,
];

export const isBackupError = (error: unknown): error is BackupError => error instanceof BackupError;
