/** Every error public-publisher raises; callers branch on `code`, not on instanceof. */
export type PublisherErrorCode =
  | 'PUB_SCHEMA_INCOMPATIBLE'
  | 'PUB_TOPIC_MISCONFIGURED'
  | 'PUB_TRANSACTION_FAILED'
  | 'PUB_BOOTSTRAP_FAILED';

export abstract class PublisherError extends Error {
  abstract readonly code: PublisherErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The public topic holds records of a major version this build does not write, or of a newer version. */
export class SchemaIncompatibleError extends PublisherError {
  static readonly code = 'PUB_SCHEMA_INCOMPATIBLE';
  readonly code = SchemaIncompatibleError.code;
  readonly retryable = false;
}

/** The public topic exists but is not compacted. */
export class TopicMisconfiguredError extends PublisherError {
  static readonly code = 'PUB_TOPIC_MISCONFIGURED';
  readonly code = TopicMisconfiguredError.code;
  readonly retryable = false;
}

/** A publish transaction failed and was aborted (fenced by another instance, broker trouble); the publisher rebuilds and retries. */
export class TransactionFailedError extends PublisherError {
  static readonly code = 'PUB_TRANSACTION_FAILED';
  readonly code = TransactionFailedError.code;
  readonly retryable = true;
}

/** Reading the topics on start failed (broker unavailable, source topic missing); retried. */
export class BootstrapFailedError extends PublisherError {
  static readonly code = 'PUB_BOOTSTRAP_FAILED';
  readonly code = BootstrapFailedError.code;
  readonly retryable = true;
}

export const PUBLISHER_ERROR_CODES: readonly PublisherErrorCode[] = [
  SchemaIncompatibleError.code,
  TopicMisconfiguredError.code,
  TransactionFailedError.code,
  BootstrapFailedError.code,
];
