import type { z } from 'zod';
import { SchemaValidationError } from './errors.js';
import { type FieldError, issuesToFieldErrors } from './field-errors.js';
import { findUnknownFields } from './unknown-fields.js';

export { type FieldError, formatFieldErrors, issuesToFieldErrors } from './field-errors.js';

/**
 * A decoded value, or every problem found. `unknownFields` (present only when non-empty) lists the
 * paths of fields this schema version does not know: they were ignored, for forward compatibility.
 */
export type DecodeResult<T> =
  | { ok: true; value: T; unknownFields?: string[] }
  | { ok: false; errors: FieldError[] };

/** How a topic's values travel: bytes on Kafka, typed values in memory. Decoding never throws. */
export interface Codec<T> {
  readonly name: string;
  encode(value: T): Buffer;
  decode(bytes: Buffer): DecodeResult<T>;
  /** Checks an in-memory value before anything is produced. */
  validate(value: unknown): DecodeResult<T>;
}

export interface JsonCodecOptions {
  /**
   * Largest accepted message in bytes; bigger input is rejected before parsing.
   * @default 1_048_576 (Kafka's default `message.max.bytes`)
   */
  maxBytes?: number;
}

/** A JSON codec validated by a zod schema. */
export function jsonCodec<S extends z.ZodType>(
  name: string,
  schema: S,
  options: JsonCodecOptions = {},
): Codec<z.output<S>> {
  const maxBytes = options.maxBytes ?? 1_048_576;
  const validate = (value: unknown): DecodeResult<z.output<S>> => {
    const result = schema.safeParse(value);
    if (!result.success) return { ok: false, errors: issuesToFieldErrors(result.error.issues) };
    const unknownFields = findUnknownFields(value, result.data);
    return unknownFields.length === 0
      ? { ok: true, value: result.data }
      : { ok: true, value: result.data, unknownFields };
  };
  return {
    name,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => {
      if (!Buffer.isBuffer(bytes))
        return { ok: false, errors: [{ path: '(root)', message: 'must be a Buffer' }] };
      if (bytes.length > maxBytes)
        return { ok: false, errors: [{ path: '(root)', message: `must be at most ${maxBytes} bytes` }] };
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch (error) {
        return {
          ok: false,
          errors: [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }],
        };
      }
      return validate(parsed);
    },
    validate,
  };
}

/**
 * Wraps a codec so every decode or validate that ignored unknown fields reports their paths, e.g. to
 * increment a `unknown_fields_total` counter. The wrapped codec behaves exactly like the original.
 */
export function observeUnknownFields<T>(
  codec: Codec<T>,
  onUnknownFields: (paths: string[], codecName: string) => void,
): Codec<T> {
  const report = (result: DecodeResult<T>): DecodeResult<T> => {
    if (result.ok && result.unknownFields !== undefined && result.unknownFields.length > 0)
      onUnknownFields(result.unknownFields, codec.name);
    return result;
  };
  return {
    name: codec.name,
    encode: (value) => codec.encode(value),
    decode: (bytes) => report(codec.decode(bytes)),
    validate: (value) => report(codec.validate(value)),
  };
}

/** The value of a successful result; otherwise throws SchemaValidationError carrying every field error. */
export function valueOrThrow<T>(result: DecodeResult<T>): T {
  if (!result.ok) throw new SchemaValidationError(result.errors);
  return result.value;
}
