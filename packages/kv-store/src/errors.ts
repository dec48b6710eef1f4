import type { FieldError } from '@labeldocs/schemas';

/** Every error kv-store raises; callers branch on `code`, not on instanceof. */
export type KvErrorCode =
  | 'KV_NOT_READY'
  | 'KV_CONFLICT'
  | 'KV_TOPIC_MISCONFIGURED'
  | 'KV_INVALID_VALUE'
  | 'KV_INVALID_KEY'
  | 'KV_TIMEOUT'
  | 'KV_CLOSED'
  | 'KV_BROKER_UNAVAILABLE'
  | 'KV_READ_ONLY';

export abstract class KvError extends Error {
  abstract readonly code: KvErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KvNotReadyError extends KvError {
  static readonly code = 'KV_NOT_READY';
  readonly code = KvNotReadyError.code;
  readonly retryable = true;
}

export class KvClosedError extends KvError {
  static readonly code = 'KV_CLOSED';
  readonly code = KvClosedError.code;
  readonly retryable = false;
}

/** A conditional write lost: the key is at `currentVersion` (0: absent), not at the expected version. */
export class KvConflictError extends KvError {
  static readonly code = 'KV_CONFLICT';
  readonly code = KvConflictError.code;
  readonly retryable = false;
  readonly key: string;
  readonly expectedVersion: number;
  readonly currentVersion: number;
  constructor(key: string, expectedVersion: number, currentVersion: number, options?: { cause?: unknown }) {
    super(
      `conflict on key "${key}": expected version ${expectedVersion}, current version is ${currentVersion}`,
      options,
    );
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }
}

/** An existing topic has a setting kv-store cannot run on; kv-store never changes it silently. */
export class KvTopicMisconfiguredError extends KvError {
  static readonly code = 'KV_TOPIC_MISCONFIGURED';
  readonly code = KvTopicMisconfiguredError.code;
  readonly retryable = false;
  readonly topic: string;
  readonly setting: string;
  readonly value: string;
  constructor(topic: string, setting: string, value: string, why: string, options?: { cause?: unknown }) {
    super(`topic "${topic}" has ${setting}=${value}: ${why}`, options);
    this.topic = topic;
    this.setting = setting;
    this.value = value;
  }
}

/** The codec rejected a value; nothing was produced. */
export class KvInvalidValueError extends KvError {
  static readonly code = 'KV_INVALID_VALUE';
  readonly code = KvInvalidValueError.code;
  readonly retryable = false;
  readonly key: string;
  readonly errors: FieldError[];
  constructor(key: string, errors: FieldError[], options?: { cause?: unknown }) {
    super(
      `invalid value for key "${key}": ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      options,
    );
    this.key = key;
    this.errors = errors;
  }
}

/** The key cannot be stored (empty, or reserved for change events); nothing was produced. */
export class KvInvalidKeyError extends KvError {
  static readonly code = 'KV_INVALID_KEY';
  readonly code = KvInvalidKeyError.code;
  readonly retryable = false;
  readonly key: string;
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(`invalid key ${JSON.stringify(key)}: ${reason}`, options);
    this.key = key;
  }
}

/** No outcome within the time limit. The write may still be applied later: read before retrying it. */
export class KvTimeoutError extends KvError {
  static readonly code = 'KV_TIMEOUT';
  readonly code = KvTimeoutError.code;
  readonly retryable = true;
}

/**
 * The broker could not be reached. Raised before sending (the store is stale): nothing was produced. Raised
 * by a failed send: the command may still have reached the log and be applied; retry with expectedVersion.
 */
export class KvBrokerUnavailableError extends KvError {
  static readonly code = 'KV_BROKER_UNAVAILABLE';
  readonly code = KvBrokerUnavailableError.code;
  readonly retryable = true;
}

/** A write on a store created with `readOnly: true`. */
export class KvReadOnlyError extends KvError {
  static readonly code = 'KV_READ_ONLY';
  readonly code = KvReadOnlyError.code;
  readonly retryable = false;
}
