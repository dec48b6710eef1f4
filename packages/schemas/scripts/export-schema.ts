/**
 * Writes the public label record's JSON Schema to public-schema/public-label.v<major>.schema.json, after
 * the compatibility gate allows the change; exits 1 (writing nothing) when the version does not fit.
 * Run: pnpm --filter @labeldocs/schemas export-schema [--dir <snapshot dir>]
 */
import { parseArgs } from 'node:util';
import {
  evaluateSchemaChange,
  PUBLIC_SCHEMA_DIR,
  PUBLIC_SCHEMA_VERSION,
  publicLabelJsonSchema,
  readSnapshots,
  writeSnapshot,
} from '@labeldocs/schemas';

const { values } = parseArgs({ options: { dir: { type: 'string', default: PUBLIC_SCHEMA_DIR } } });
const dir = values.dir;
const current = { version: PUBLIC_SCHEMA_VERSION, schema: publicLabelJsonSchema() };
const latest = readSnapshots(dir).at(-1);
const result = evaluateSchemaChange(latest, current);
for (const line of result.report.breaking) console.log(`breaking:     ${line}`);
for (const line of result.report.nonBreaking) console.log(`non-breaking: ${line}`);
if (result.problems.length > 0) {
  console.error(`refusing to export public schema ${PUBLIC_SCHEMA_VERSION}:\n${result.problems.join('\n')}`);
  process.exit(1);
}
if (result.action === 'none') console.log(`public schema ${PUBLIC_SCHEMA_VERSION} is up to date`);
else
  console.log(
    `wrote ${writeSnapshot(current, dir)} (${latest?.version ?? 'none'} -> ${PUBLIC_SCHEMA_VERSION})`,
  );
