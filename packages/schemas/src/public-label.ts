import { z } from 'zod';
import { labelStatusSchema, piiSchema, valueTypeSchema } from './label-record.js';
import { dateSchema, instantSchema, labelNameSchema, nonEmptyText, shortText } from './primitives.js';
import { OBSERVED_VALUE_TYPES, observedValueTypeSchema } from './tracked-label.js';

/**
 * The public format's version (semver). Consumers branch on the major; a breaking change to the schema
 * (removed field, narrowed type, new required field) must raise it, which the compatibility gate enforces.
 */
export const PUBLIC_SCHEMA_VERSION = '1.0.0';

/**
 * The public label record (public topic, key = label name): documentation joined with tracking metadata,
 * only the fields meant for consumers. Internal fields (who edited, examples, tags) stay internal.
 */
export const publicLabelSchema = z.object({
  schemaVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semver version'),
  name: labelNameSchema,
  group: nonEmptyText(20),
  documentation: z.discriminatedUnion('state', [
    z.object({ state: z.literal('missing') }),
    z.object({
      state: z.literal('documented'),
      version: z.number().int().min(1),
      description: shortText(10_000),
      ownerTeam: nonEmptyText(100),
      valueType: valueTypeSchema,
      pii: piiSchema,
      status: labelStatusSchema,
      startOfUse: dateSchema.optional(),
      deprecationDate: dateSchema.optional(),
      replacement: labelNameSchema.optional(),
      updatedAt: instantSchema,
    }),
  ]),
  tracking: z.discriminatedUnion('state', [
    z.object({ state: z.literal('untracked') }),
    z.object({
      state: z.literal('tracked'),
      firstSeen: instantSchema,
      lastSeen: instantSchema,
      valueTypes: z.array(observedValueTypeSchema).max(OBSERVED_VALUE_TYPES.length),
    }),
  ]),
});
export type PublicLabel = z.infer<typeof publicLabelSchema>;
