import type { OBSERVED_VALUE_TYPES } from '@labeldocs/schemas';

export type ObservedValueType = (typeof OBSERVED_VALUE_TYPES)[number];

/** The JSON type a value arrived as: structured values (objects, arrays) count as `json`. */
export function observedType(value: unknown): ObservedValueType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return value === null ? 'null' : 'json';
  }
}

/** UTC day `YYYY-MM-DD` of an ISO instant (fast for the usual `...Z` form). */
export function utcDay(ts: string, ms: number): string {
  return ts.charCodeAt(ts.length - 1) === 90 /* Z */
    ? ts.slice(0, 10)
    : new Date(ms).toISOString().slice(0, 10);
}
