/**
 * Writes the public label record's JSON Schema to public-schema/public-label.v<major>.schema.json, after
 * the compatibility gate allows the change. Run: pnpm --filter @labeldocs/schemas export-schema
 */
import {
  evaluateSchemaChange,
  PUBLIC_SCHEMA_VERSION,
  publicLabelJsonSchema,
  readSnapshots,
  writeSnapshot,
} from '@labeldocs/schemas';

const current = { version: PUBLIC_SCHEMA_VERSION, schema: publicLabelJsonSchema() };
const latest = readSnapshots().at(-1);
const result = evaluateSchemaChange(latest, current);
for (const line of result.report.breaking) console.log(`breaking:     ${line}`);
for (const line of result.report.nonBreaking) console.log(`non-breaking: ${line}`);
if (result.problems.length > 0) {
  console.error(`refusing to export public schema ${PUBLIC_SCHEMA_VERSION}:\n${result.problems.join('\n')}`);
  process.exit(1);
}
if (result.action === 'none') console.log(`public schema ${PUBLIC_SCHEMA_VERSION} is up to date`);
else
  console.log(`wrote ${writeSnapshot(current)} (${latest?.version ?? 'none'} -> ${PUBLIC_SCHEMA_VERSION})`);
