import { z } from 'zod';
import { instantSchema, maxKeys, maxKeysMessage, nonEmptyText, shortText } from './primitives.js';
import { OBSERVED_VALUE_TYPES, observedValueTypeSchema } from './tracked-label.js';

/** Longest string value, and longest serialized structured value, of one label in an impression. */
export const LABEL_VALUE_MAX_LENGTH = 10_000;
/** Most labels one impression may carry. */
export const IMPRESSION_MAX_LABELS = 1_000;

/**
 * A label's value in an impression: scalars, or any JSON for structured labels. The size check covers
 * structured values too (z.json() alone would accept a string of any length).
 */
export const labelValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.json()])
  .refine(
    (value) =>
      (typeof value === 'string'
        ? value.length
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value).length
          : 0) <= LABEL_VALUE_MAX_LENGTH,
    { message: `must be at most ${LABEL_VALUE_MAX_LENGTH} characters (serialized)` },
  );

/** One tracked page impression (the impressions topic). */
export const impressionSchema = z.object({
  ts: instantSchema,
  pageType: nonEmptyText(100),
  labels: z
    .record(shortText(300), labelValueSchema)
    .refine(maxKeys(IMPRESSION_MAX_LABELS), maxKeysMessage(IMPRESSION_MAX_LABELS)),
  source: shortText(100).optional(),
});
export type Impression = z.infer<typeof impressionSchema>;

/** Counts a producer already aggregated for one label over a window (the aggregates topic). */
export const trackedLabelAggregateSchema = z.object({
  name: nonEmptyText(300),
  windowStart: instantSchema,
  windowEnd: instantSchema,
  count: z.number().int().min(0),
  valueTypes: z.array(observedValueTypeSchema).max(OBSERVED_VALUE_TYPES.length).default([]),
  samples: z.array(shortText(200)).max(20).default([]),
  pageTypes: z.array(nonEmptyText(100)).max(50).default([]),
  source: nonEmptyText(100),
});
export type TrackedLabelAggregate = z.infer<typeof trackedLabelAggregateSchema>;
