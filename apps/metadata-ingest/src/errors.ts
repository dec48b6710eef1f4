/** Every error metadata-ingest raises; callers branch on `code`. */
export type IngestErrorCode = 'INGEST_FLUSH_FAILED' | 'INGEST_CLOSED' | 'INGEST_SIMULATE_ARGS_INVALID';

export abstract class IngestError extends Error {
  abstract readonly code: IngestErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Some tracked-label writes failed; their counts are kept and offsets are not committed past them. */
export class IngestFlushFailedError extends IngestError {
  static readonly code = 'INGEST_FLUSH_FAILED';
  readonly code = IngestFlushFailedError.code;
  readonly retryable = true;
}

/** start() after close(). */
export class IngestClosedError extends IngestError {
  static readonly code = 'INGEST_CLOSED';
  readonly code = IngestClosedError.code;
  readonly retryable = false;
}

/** `pnpm simulate` got an argument it cannot use; the message names it. */
export class SimulateArgsInvalidError extends IngestError {
  static readonly code = 'INGEST_SIMULATE_ARGS_INVALID';
  readonly code = SimulateArgsInvalidError.code;
  readonly retryable = false;
}
