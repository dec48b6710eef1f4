/** Every error kv-store raises; callers branch on `code`, not on instanceof. */
export type KvErrorCode =
  | 'KV_NOT_READY'
  | 'KV_CONFLICT'
  | 'KV_TOPIC_MISCONFIGURED'
  | 'KV_INVALID_VALUE'
  | 'KV_TIMEOUT'
  | 'KV_CLOSED'
  | 'KV_BROKER_UNAVAILABLE';

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
