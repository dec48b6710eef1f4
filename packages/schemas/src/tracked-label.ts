import { z } from 'zod';
import { dateSchema, instantSchema, maxKeys, maxKeysMessage, nonEmptyText, shortText } from './primitives.js';

export const OBSERVED_VALUE_TYPES = ['string', 'number', 'boolean', 'null', 'json'] as const;
export const observedValueTypeSchema = z.enum(OBSERVED_VALUE_TYPES);

/** At most this many sample values are kept per label (never for PII labels or PII-looking values). */
export const MAX_SAMPLES = 5;

/** Most days of `dailyCounts` a record may carry (metadata-ingest keeps the last N days, N <= this). */
export const MAX_DAILY_COUNTS = 400;

/**
 * What metadata-ingest learned about one label from traffic (its compacted topic, key = label name).
 * The name is kept as seen, valid or not: malformed and unknown-group labels are flagged, not dropped.
 */
export const trackedLabelSchema = z.object({
  name: nonEmptyText(300),
  group: shortText(100).optional(),
  nameValid: z.boolean(),
  knownGroup: z.boolean(),
  firstSeen: instantSchema,
  lastSeen: instantSchema,
  /** Impressions per UTC day for the last N days, keyed `YYYY-MM-DD`. */
  dailyCounts: z
    .record(dateSchema, z.number().int().min(0))
    .refine(maxKeys(MAX_DAILY_COUNTS), maxKeysMessage(MAX_DAILY_COUNTS)),
  totalCount: z.number().int().min(0),
  valueTypes: z.array(observedValueTypeSchema).max(OBSERVED_VALUE_TYPES.length),
  samples: z.array(shortText(200)).max(MAX_SAMPLES),
  pageTypes: z.array(nonEmptyText(100)).max(50),
  sources: z.array(nonEmptyText(100)).max(20),
  updatedAt: instantSchema,
});
export type TrackedLabel = z.infer<typeof trackedLabelSchema>;
