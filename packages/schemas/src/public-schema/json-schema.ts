import { z } from 'zod';
import { PUBLIC_SCHEMA_VERSION, publicLabelSchema } from '../public-label.js';

/** A JSON Schema document (draft 2020-12), as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/** Where the public schema's version is recorded inside its JSON Schema (an annotation keyword). */
export const SCHEMA_VERSION_KEYWORD = 'x-schema-version';

/** Removes `additionalProperties: false` everywhere: consumers must ignore fields they do not know. */
function openContentModel(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openContentModel);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = openContentModel(value);
  }
  return out;
}

/**
 * The public label record's JSON Schema (draft 2020-12), derived from `publicLabelSchema`: what the
 * committed snapshot in `public-schema/` must equal. Objects are open (no `additionalProperties: false`)
 * so adding an optional field never makes old consumers reject new records. `schema` is replaceable so
 * tests can prove the gate on deliberately changed copies.
 */
export function publicLabelJsonSchema(
  version: string = PUBLIC_SCHEMA_VERSION,
  schema: z.ZodType = publicLabelSchema,
): JsonSchema {
  const major = version.split('.')[0];
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'output',
  }) as JsonSchema;
  const { $schema, ...rest } = openContentModel(generated) as JsonSchema;
  return {
    $schema,
    $id: `https://labeldocs.dev/schemas/public-label.v${major}.schema.json`,
    title: 'labeldocs public label record',
    description:
      'One label on the public topic (key = label name): documentation joined with tracking metadata. ' +
      'Consumers must ignore unknown fields and tolerate unknown enum values and union variants.',
    [SCHEMA_VERSION_KEYWORD]: version,
    ...rest,
  };
}
