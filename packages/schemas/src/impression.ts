import { z } from 'zod';
import { instantSchema, nonEmptyText, shortText } from './primitives.js';
import { observedValueTypeSchema } from './tracked-label.js';

/** A label's value in an impression: scalars, or any JSON for structured labels. */
export const labelValueSchema = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.json(),
]);

/** One tracked page impression (the impressions topic). */
export const impressionSchema = z.object({
  ts: instantSchema,
  pageType: nonEmptyText(100),
  labels: z.record(shortText(300), labelValueSchema),
  source: shortText(100).optional(),
});
export type Impression = z.infer<typeof impressionSchema>;

/** Counts a producer already aggregated for one label over a window (the aggregates topic). */
export const trackedLabelAggregateSchema = z.object({
  name: nonEmptyText(300),
  windowStart: instantSchema,
  windowEnd: instantSchema,
  count: z.number().int().min(0),
  valueTypes: z.array(observedValueTypeSchema).default([]),
  samples: z.array(shortText(200)).max(20).default([]),
  pageTypes: z.array(nonEmptyText(100)).max(50).default([]),
  source: nonEmptyText(100),
});
export type TrackedLabelAggregate = z.infer<typeof trackedLabelAggregateSchema>;
