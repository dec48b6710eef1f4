import type { FieldError } from './field-errors.js';
import { formatFieldErrors } from './field-errors.js';

/** Every error @labeldocs/schemas raises; callers branch on `code`, not on instanceof. */
export type SchemaErrorCode =
  | 'SCHEMA_VALIDATION_FAILED'
  | 'SCHEMA_STATUS_TRANSITION'
  | 'SCHEMA_GROUP_REGISTRY_INVALID';

export abstract class SchemaError extends Error {
  abstract readonly code: SchemaErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value failed validation; `errors` lists every problem with its field path (HTTP 400). */
export class SchemaValidationError extends SchemaError {
  static readonly code = 'SCHEMA_VALIDATION_FAILED';
  readonly code = SchemaValidationError.code;
  readonly retryable = false;
  readonly errors: FieldError[];
  constructor(errors: FieldError[], options?: { cause?: unknown }) {
    super(`invalid input:\n${formatFieldErrors(errors)}`, options);
    this.errors = errors;
  }
}

/** A label's status may not change this way (e.g. `retired` -> `active`); HTTP 409. */
export class SchemaStatusTransitionError extends SchemaError {
  static readonly code = 'SCHEMA_STATUS_TRANSITION';
  readonly code = SchemaStatusTransitionError.code;
  readonly retryable = false;
  readonly from: string;
  readonly to: string;
  constructor(from: string, to: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.from = from;
    this.to = to;
  }
}

/** A group registry file is unreadable or invalid; the message lists every problem. */
export class SchemaGroupRegistryError extends SchemaError {
  static readonly code = 'SCHEMA_GROUP_REGISTRY_INVALID';
  readonly code = SchemaGroupRegistryError.code;
  readonly retryable = false;
}
