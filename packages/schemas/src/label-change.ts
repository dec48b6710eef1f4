import { z } from 'zod';
import { labelRecordSchema } from './label-record.js';
import { instantSchema, labelNameSchema, nonEmptyText, shortText } from './primitives.js';

/**
 * One entry of a label's change log (the event-sourced history): who changed what, when and why.
 * `after` is the whole record after the change (null after a delete), so any moment can be rebuilt by
 * replaying the log up to it; `changes` lists the field-level before/after for people.
 */
export const labelChangeEventSchema = z.object({
  label: labelNameSchema,
  version: z.number().int().min(1),
  kind: z.enum(['created', 'updated', 'deprecated', 'deleted']),
  actor: nonEmptyText(200),
  at: instantSchema,
  reason: shortText(2_000).optional(),
  changes: z.array(z.object({ field: nonEmptyText(100), before: z.unknown(), after: z.unknown() })).max(100),
  after: labelRecordSchema.nullable(),
});
export type LabelChangeEvent = z.infer<typeof labelChangeEventSchema>;
