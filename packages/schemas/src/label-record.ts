import { z } from 'zod';
import { dateSchema, instantSchema, labelNameSchema, nonEmptyText, shortText } from './primitives.js';

export const LABEL_STATUSES = ['draft', 'active', 'deprecated', 'retired'] as const;
export const labelStatusSchema = z.enum(LABEL_STATUSES);
export type LabelStatus = z.infer<typeof labelStatusSchema>;

export const PII_CATEGORIES = [
  'none',
  'identifier',
  'contact',
  'location',
  'financial',
  'behavioural',
  'other',
] as const;

export const DESCRIPTION_MAX_LENGTH = 10_000;

/** What a label's values look like. */
export const valueTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('string') }),
  z.object({ kind: z.literal('number') }),
  z.object({ kind: z.literal('boolean') }),
  z.object({
    kind: z.literal('enum'),
    values: z
      .array(nonEmptyText(200))
      .min(1, 'must list at least one value')
      .max(500, 'must list at most 500 values'),
  }),
  z.object({ kind: z.literal('list'), of: z.enum(['string', 'number', 'boolean']).default('string') }),
  z.object({ kind: z.literal('json') }),
]);
export type ValueType = z.infer<typeof valueTypeSchema>;

export const piiSchema = z.object({
  isPii: z.boolean(),
  category: z.enum(PII_CATEGORIES).default('none'),
});

/** When and why a label was deprecated, and what replaces it. */
export const deprecationSchema = z.object({
  date: dateSchema,
  replacement: labelNameSchema.optional(),
  reason: shortText(2_000).optional(),
});

/**
 * The fields an analyst edits. The API validates input against the strict form (unknown fields rejected);
 * Kafka input is decoded with the lenient form (unknown fields ignored and counted) for forward compatibility.
 */
export const labelContentShape = {
  description: shortText(DESCRIPTION_MAX_LENGTH).default(''),
  ownerTeam: nonEmptyText(100),
  valueType: valueTypeSchema,
  examples: z.array(shortText(500)).max(20, 'must have at most 20 examples').default([]),
  pii: piiSchema.default({ isPii: false, category: 'none' }),
  tags: z.array(nonEmptyText(50)).max(30, 'must have at most 30 tags').default([]),
  status: labelStatusSchema.default('draft'),
  startOfUse: dateSchema.optional(),
  deprecation: deprecationSchema.optional(),
};

/** The label documentation record on the documentor's compacted topic (key = label name). */
export const labelRecordSchema = z.object({
  name: labelNameSchema,
  group: nonEmptyText(20),
  ...labelContentShape,
  createdBy: nonEmptyText(200),
  createdAt: instantSchema,
  updatedBy: nonEmptyText(200),
  updatedAt: instantSchema,
});
export type LabelRecord = z.infer<typeof labelRecordSchema>;

const [vtString, vtNumber, vtBoolean, vtEnum, vtList, vtJson] = valueTypeSchema.options;

/**
 * The body of `PUT /labels/:name`: strict at every depth, every unknown field is an error (a typo in
 * `pii.isPII` must not silently fall back to the default). Same output type as the lenient shape.
 */
export const labelInputSchema = z.strictObject({
  ...labelContentShape,
  valueType: z.discriminatedUnion('kind', [
    vtString.strict(),
    vtNumber.strict(),
    vtBoolean.strict(),
    vtEnum.strict(),
    vtList.strict(),
    vtJson.strict(),
  ]),
  pii: piiSchema.strict().default({ isPii: false, category: 'none' }),
  deprecation: deprecationSchema.strict().optional(),
});
export type LabelInput = z.infer<typeof labelInputSchema>;
