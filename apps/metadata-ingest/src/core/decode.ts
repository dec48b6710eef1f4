import {
  type DecodeResult,
  type Impression,
  impressionCodec,
  instantSchema,
  type TrackedLabelAggregate,
  trackedLabelAggregateCodec,
} from '@labeldocs/schemas';

// Mirrors impressionSchema's limits; anything outside them goes to the schema, which decides.
const MAX_LABELS = 1_000;
const MAX_VALUE_LENGTH = 10_000;

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelsFast(labels: unknown): boolean {
  if (!plainObject(labels)) return false;
  let count = 0;
  for (const [key, value] of Object.entries(labels)) {
    if (++count > MAX_LABELS || key.length > 300) return false;
    if (typeof value === 'string') {
      if (value.length > MAX_VALUE_LENGTH) return false;
    } else if (typeof value === 'object' && value !== null) {
      if (JSON.stringify(value).length > MAX_VALUE_LENGTH) return false;
    }
  }
  return true;
}

/**
 * The fast path: a plain check of what impressionSchema requires, so valid impressions (nearly all) skip
 * zod, which costs several times JSON.parse at 50 labels. It only ever says "valid" for input the schema
 * accepts (a property test holds it to that); everything else is judged by the schema, which names the field.
 */
export function isPlainImpression(value: unknown): value is Impression {
  if (!plainObject(value)) return false;
  const { ts, pageType, source } = value;
  return (
    typeof pageType === 'string' &&
    pageType.length > 0 &&
    pageType.length <= 100 &&
    (source === undefined || (typeof source === 'string' && source.length <= 100)) &&
    typeof ts === 'string' &&
    instantSchema.safeParse(ts).success &&
    labelsFast(value.labels)
  );
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

/** Decodes one aggregates-topic record; never throws. Low volume, so the schema does it all. */
export function decodeAggregate(bytes: Buffer | null): DecodeResult<TrackedLabelAggregate> {
  if (bytes === null) return { ok: false, errors: [{ path: '(root)', message: 'record has no value' }] };
  return trackedLabelAggregateCodec.decode(bytes);
}
