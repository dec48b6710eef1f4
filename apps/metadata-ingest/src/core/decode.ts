import {
  type DecodeResult,
  IMPRESSION_MAX_LABELS,
  type Impression,
  impressionCodec,
  instantSchema,
  LABEL_VALUE_MAX_LENGTH,
  type TrackedLabelAggregate,
  trackedLabelAggregateCodec,
} from '@labeldocs/schemas';

// Mirrors impressionSchema's limits; anything outside them goes to the schema, which decides.
const MAX_NAME_LENGTH = 300;

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** serializedBound's answer for a number the schema rejects (JSON.parse reads `1e400` as Infinity). */
const NOT_FINITE = -2;

/**
 * An upper bound of JSON.stringify(value).length, or -1 once it exceeds `budget`: a walk without building
 * the string (stringify of every structured value cost more than the rest of the label check). A string
 * serializes to at most 6 characters per code unit (`\u001f`) plus quotes, a number to at most 24.
 * NOT_FINITE when a number in it is not finite (zod's number, and so z.json(), rejects those).
 */
function serializedBound(value: unknown, budget: number): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value === 'number') return Number.isFinite(value) ? 24 : NOT_FINITE;
  if (typeof value !== 'object' || value === null) return 24;
  let size = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      const n = serializedBound(item, budget - size);
      if (n < 0) return n;
      size += n + 1;
      if (size > budget) return -1;
    }
    return size;
  }
  for (const key in value) {
    const n = serializedBound((value as Record<string, unknown>)[key], budget - size);
    if (n < 0) return n;
    size += n + 6 * key.length + 4;
    if (size > budget) return -1;
  }
  return size;
}

/** Whether every number in a parsed JSON value is finite. */
function finiteNumbers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(finiteNumbers);
  for (const key in value) if (!finiteNumbers((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** One label within impressionSchema's limits on its name and (serialized) value. */
export function labelFits(name: string, value: unknown): boolean {
  if (name.length > MAX_NAME_LENGTH) return false;
  if (typeof value === 'string') return value.length <= LABEL_VALUE_MAX_LENGTH;
  // `1e400` parses to Infinity, which the schema rejects (and JSON.stringify would turn into null).
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  // The bound settles nearly every value; only a large one is serialized to be measured exactly.
  const bound = serializedBound(value, LABEL_VALUE_MAX_LENGTH);
  if (bound >= 0) return true;
  if (bound === NOT_FINITE) return false;
  // The walk stopped at the budget, maybe before a non-finite number further on.
  return JSON.stringify(value).length <= LABEL_VALUE_MAX_LENGTH && finiteNumbers(value);
}

function labelsFast(labels: Record<string, unknown>): boolean {
  let count = 0;
  for (const name in labels)
    if (++count > IMPRESSION_MAX_LABELS || !labelFits(name, labels[name])) return false;
  return true;
}

// The usual timestamp form, `2026-11-25T10:00:00.000Z`: always accepted by instantSchema once its date is valid.
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
const validDates = new Map<string, boolean>();

/** instantSchema's verdict, with zod run once per date for the usual form (zod costs more than the label loop). */
function validInstant(ts: string): boolean {
  if (!CANONICAL_TIME.test(ts)) return instantSchema.safeParse(ts).success;
  const date = ts.slice(0, 10);
  let valid = validDates.get(date);
  if (valid === undefined) {
    valid = instantSchema.safeParse(`${date}T00:00:00Z`).success;
    if (validDates.size >= 1_000) validDates.clear();
    validDates.set(date, valid);
  }
  return valid;
}

/** What impressionSchema requires of everything but the labels' names and values (and their number). */
function isImpressionHead(value: unknown): value is Impression {
  if (!plainObject(value)) return false;
  const { ts, pageType, source } = value;
  return (
    typeof pageType === 'string' &&
    pageType.length > 0 &&
    pageType.length <= 100 &&
    (source === undefined || (typeof source === 'string' && source.length <= 100)) &&
    typeof ts === 'string' &&
    validInstant(ts) &&
    plainObject(value.labels)
  );
}

/**
 * The fast path: a plain check of what impressionSchema requires, so valid impressions (nearly all) skip
 * zod, which costs several times JSON.parse at 50 labels. It only ever says "valid" for input the schema
 * accepts (a property test holds it to that); everything else is judged by the schema, which names the field.
 */
export function isPlainImpression(value: unknown): value is Impression {
  return isImpressionHead(value) && labelsFast(value.labels);
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** Decodes one impressions-topic record; never throws. */
export function decodeImpression(bytes: Buffer | null): DecodeResult<Impression> {
  if (bytes === null) return { ok: false, errors: [{ path: '(root)', message: 'record has no value' }] };
  const parsed = parseJson(bytes);
  if (!parsed.ok) return impressionCodec.decode(bytes);
  if (isPlainImpression(parsed.value)) return { ok: true, value: parsed.value };
  return impressionCodec.validate(parsed.value);
}

/**
 * The hot path's decode: JSON.parse and the top-level checks, leaving the labels to be checked while they are
 * counted (Aggregator.addImpression, one pass). `head: false` carries the parsed value (if it was JSON) for
 * the schema to judge.
 */
export function decodeImpressionHead(
  bytes: Buffer | null,
): { head: true; value: Impression } | { head: false; parsed?: unknown } {
  if (bytes === null) return { head: false };
  const parsed = parseJson(bytes);
  if (!parsed.ok) return { head: false };
  if (isImpressionHead(parsed.value)) return { head: true, value: parsed.value };
  return { head: false, parsed: parsed.value };
}

/** The schema's verdict on a record the hot path did not accept (names the field that is wrong). */
export function judgeImpression(bytes: Buffer | null, head: { parsed?: unknown }): DecodeResult<Impression> {
  if (bytes === null || !('parsed' in head)) return decodeImpression(bytes);
  return impressionCodec.validate(head.parsed);
}

/** Decodes one aggregates-topic record; never throws. Low volume, so the schema does it all. */
export function decodeAggregate(bytes: Buffer | null): DecodeResult<TrackedLabelAggregate> {
  if (bytes === null) return { ok: false, errors: [{ path: '(root)', message: 'record has no value' }] };
  return trackedLabelAggregateCodec.decode(bytes);
}
