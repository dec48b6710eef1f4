import type { FieldError } from '@labeldocs/schemas';

/**
 * The one place error codes become HTTP statuses. Documentor's own codes, kv-store's, and the fastify codes a
 * client can provoke. Anything not listed is a bug and becomes 500. `docs/error-codes.md` carries the same
 * statuses; `test/error-codes.test.ts` fails when the two drift.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  DOC_INVALID_INPUT: 400,
  DOC_UNAUTHENTICATED: 401,
  DOC_FORBIDDEN: 403,
  DOC_LABEL_NOT_FOUND: 404,
  DOC_NOT_FOUND: 404,
  DOC_VERSION_MISMATCH: 412,
  DOC_NOT_READY: 503,
  KV_CONFLICT: 409,
  SCHEMA_VALIDATION_FAILED: 400,
  SCHEMA_STATUS_TRANSITION: 409,
  KV_INVALID_VALUE: 400,
  KV_NOT_READY: 503,
  KV_CLOSED: 503,
  KV_TIMEOUT: 503,
  KV_BROKER_UNAVAILABLE: 503,
  // Client mistakes fastify detects before a handler runs.
  FST_ERR_CTP_BODY_TOO_LARGE: 413,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_ERR_CTP_EMPTY_JSON_BODY: 400,
  FST_ERR_CTP_INVALID_JSON_BODY: 400,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 400,
  FST_ERR_CTP_EMPTY_TYPE: 400,
  FST_ERR_CTP_INVALID_TYPE: 400,
  FST_ERR_BAD_URL: 400,
  FST_ERR_ASYNC_CONSTRAINT: 400,
};

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: FieldError[];
    currentVersion?: number;
  };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** Seconds, for 503s. */
  retryAfter?: number;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** Maps anything thrown by a handler to a response; unknown errors become an opaque 500. */
export function mapError(error: unknown): MappedError {
  const e = record(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  let status = code === undefined ? undefined : HTTP_STATUS_BY_CODE[code];
  // Fastify marks client errors it raises itself (bad headers, aborted bodies) with a 4xx statusCode.
  if (
    status === undefined &&
    code?.startsWith('FST_') &&
    typeof e.statusCode === 'number' &&
    e.statusCode < 500
  )
    status = e.statusCode;
  if (status === undefined || code === undefined)
    return { status: 500, body: { error: { code: 'DOC_INTERNAL', message: 'internal error' } } };
  const body: ErrorBody = { error: { code, message: typeof e.message === 'string' ? e.message : code } };
  // Ours carry `fields`, kv-store's and schemas' carry `errors`: both are FieldError lists.
  const fields = Array.isArray(e.fields) ? e.fields : Array.isArray(e.errors) ? e.errors : undefined;
  if (fields !== undefined) body.error.fields = fields as FieldError[];
  if (typeof e.currentVersion === 'number') body.error.currentVersion = e.currentVersion;
  return status === 503 ? { status, body, retryAfter: 1 } : { status, body };
}
