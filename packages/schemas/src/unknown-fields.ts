import { formatPath } from './field-errors.js';

/** Stop after this many paths: a hostile message must not make the report itself large. */
const MAX_REPORTED = 100;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Paths present in the raw decoded JSON but absent from the parsed value: the fields zod stripped
 * because this version of the schema does not know them (a newer producer added them). Records and
 * free JSON keep every key, so only truly unknown fields are reported.
 */
export function findUnknownFields(input: unknown, output: unknown): string[] {
  const found: string[] = [];
  const walk = (raw: unknown, parsed: unknown, path: PropertyKey[]): void => {
    if (found.length >= MAX_REPORTED) return;
    if (Array.isArray(raw) && Array.isArray(parsed)) {
      const n = Math.min(raw.length, parsed.length);
      for (let i = 0; i < n; i++) walk(raw[i], parsed[i], [...path, i]);
      return;
    }
    if (!isPlainObject(raw) || !isPlainObject(parsed)) return;
    for (const key of Object.keys(raw)) {
      if (!Object.hasOwn(parsed, key)) {
        found.push(formatPath([...path, key]));
        if (found.length >= MAX_REPORTED) return;
      } else walk(raw[key], parsed[key], [...path, key]);
    }
  };
  walk(input, output, []);
  return found;
}
