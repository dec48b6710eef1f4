import type { z } from 'zod';

/** One problem with an input: where (`description`, `examples[2]`) and what was expected. */
export interface FieldError {
  path: string;
  message: string;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** How a topic's values travel: bytes on Kafka, typed values in memory. Decoding never throws. */
export interface Codec<T> {
  readonly name: string;
  encode(value: T): Buffer;
  decode(bytes: Buffer): DecodeResult<T>;
  /** Checks an in-memory value before anything is produced. */
  validate(value: unknown): DecodeResult<T>;
}

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    path:
      issue.path.length === 0
        ? '(root)'
        : issue.path
            .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
            .join(''),
    message: issue.message,
  }));
}

/** A JSON codec validated by a zod schema. */
export function jsonCodec<S extends z.ZodType>(name: string, schema: S): Codec<z.output<S>> {
  const validate = (value: unknown): DecodeResult<z.output<S>> => {
    const result = schema.safeParse(value);
    return result.success
      ? { ok: true, value: result.data }
      : { ok: false, errors: issuesToFieldErrors(result.error.issues) };
  };
  return {
    name,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => {
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
