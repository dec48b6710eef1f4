import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaSnapshot } from './gate.js';
import { type JsonSchema, SCHEMA_VERSION_KEYWORD } from './json-schema.js';

/** The committed snapshots, one file per major: `public-schema/public-label.v<major>.schema.json`. */
export const PUBLIC_SCHEMA_DIR = fileURLToPath(new URL('../../public-schema/', import.meta.url));

const FILE = /^public-label\.v(\d+)\.schema\.json$/;

export function snapshotFileName(version: string): string {
  return `public-label.v${version.split('.')[0]}.schema.json`;
}

/** Every committed snapshot, oldest major first. */
export function readSnapshots(dir: string = PUBLIC_SCHEMA_DIR): SchemaSnapshot[] {
  const files = readdirSync(dir)
    .map((f) => ({ f, major: Number(FILE.exec(f)?.[1] ?? Number.NaN) }))
    .filter((x) => !Number.isNaN(x.major))
    .sort((a, b) => a.major - b.major);
  return files.map(({ f }) => {
    const schema = JSON.parse(readFileSync(join(dir, f), 'utf8')) as JsonSchema;
    return { version: String(schema[SCHEMA_VERSION_KEYWORD] ?? '0.0.0'), schema };
  });
}

export function writeSnapshot(snapshot: SchemaSnapshot, dir: string = PUBLIC_SCHEMA_DIR): string {
  const path = join(dir, snapshotFileName(snapshot.version));
  writeFileSync(path, `${JSON.stringify(snapshot.schema, null, 2)}\n`);
  return path;
}
