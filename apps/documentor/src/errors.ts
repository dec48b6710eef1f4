import type { FieldError } from '@labeldocs/schemas';

/** Every error documentor raises; `src/http/error-mapping.ts` maps each code (and kv-store's) to a status. */
export type DocErrorCode =
  | 'DOC_INVALID_INPUT'
  | 'DOC_UNAUTHENTICATED'
  | 'DOC_FORBIDDEN'
  | 'DOC_LABEL_NOT_FOUND'
  | 'DOC_NOT_FOUND'
  | 'DOC_VERSION_MISMATCH'
  | 'DOC_NOT_READY';

export abstract class DocError extends Error {
  abstract readonly code: DocErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input; `fields` names every wrong field (`description`, `valueType.values[2]`, `query.limit`). */
export class DocInvalidInputError extends DocError {
  static readonly code = 'DOC_INVALID_INPUT';
  readonly code = DocInvalidInputError.code;
  readonly retryable = false;
  readonly fields: FieldError[];
  constructor(fields: FieldError[], options?: { cause?: unknown }) {
    super(`invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, options);
    this.fields = fields;
  }
}

/** No credentials, or credentials that match no configured token. */
export class DocUnauthenticatedError extends DocError {
  static readonly code = 'DOC_UNAUTHENTICATED';
  readonly code = DocUnauthenticatedError.code;
  readonly retryable = false;
}

/** A valid token whose role may not do this. */
export class DocForbiddenError extends DocError {
  static readonly code = 'DOC_FORBIDDEN';
  readonly code = DocForbiddenError.code;
  readonly retryable = false;
}

export class DocLabelNotFoundError extends DocError {
  static readonly code = 'DOC_LABEL_NOT_FOUND';
  readonly code = DocLabelNotFoundError.code;
  readonly retryable = false;
  constructor(readonly label: string) {
    super(`no label named ${label}`);
  }
}

/** A route that does not exist. */
export class DocNotFoundError extends DocError {
  static readonly code = 'DOC_NOT_FOUND';
  readonly code = DocNotFoundError.code;
  readonly retryable = false;
}

/** `If-Match` named a version that is no longer current (or the label exists when `If-None-Match: *`). */
export class DocVersionMismatchError extends DocError {
  static readonly code = 'DOC_VERSION_MISMATCH';
  readonly code = DocVersionMismatchError.code;
  readonly retryable = false;
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

/** The stores have not caught up with their topics yet. */
export class DocNotReadyError extends DocError {
  static readonly code = 'DOC_NOT_READY';
  readonly code = DocNotReadyError.code;
  readonly retryable = true;
}

export const invalid = (path: string, message: string) => new DocInvalidInputError([{ path, message }]);
