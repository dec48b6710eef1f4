import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluateSchemaChange,
  PUBLIC_SCHEMA_VERSION,
  publicLabelJsonSchema,
  readSnapshots,
  SCHEMA_VERSION_KEYWORD,
  type SchemaSnapshot,
  snapshotFileName,
  writeSnapshot,
} from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: test surgery on plain JSON
type Json = Record<string, any>;
const at = (version: string, change: (s: Json) => void = () => {}): SchemaSnapshot => {
  const schema = structuredClone(publicLabelJsonSchema(version)) as Json;
  change(schema);
  return { version, schema };
};
const removeField = (s: Json) => delete s.properties.group;
const addOptional = (s: Json) => (s.properties.region = { type: 'string' });
const redocument = (s: Json) => (s.properties.group.description = 'the group prefix');

describe('the public schema compatibility gate', () => {
  it('the committed snapshot equals the schema derived from publicLabelSchema at PUBLIC_SCHEMA_VERSION', () => {
    const latest = readSnapshots().at(-1);
    const result = evaluateSchemaChange(latest, {
      version: PUBLIC_SCHEMA_VERSION,
      schema: publicLabelJsonSchema(),
    });
    // On failure: follow the problem's advice, or run `pnpm --filter @labeldocs/schemas export-schema`.
    expect(result.problems).toEqual([]);
    expect(result.action, 'snapshot is stale: run pnpm --filter @labeldocs/schemas export-schema').toBe(
      'none',
    );
    expect(latest?.schema).toEqual(publicLabelJsonSchema());
  });

  it('every committed snapshot is named after its major version and is a draft 2020-12 schema', () => {
    const snapshots = readSnapshots();
    expect(snapshots.length).toBeGreaterThan(0);
    for (const { version, schema } of snapshots) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://labeldocs.dev/schemas/${snapshotFileName(version)}`);
    }
  });

  it.each<[string, SchemaSnapshot, string | undefined, 'none' | 'write']>([
    ['unchanged, same version', at('1.0.0'), undefined, 'none'],
    ['unchanged, newer patch (stale snapshot)', at('1.0.1'), undefined, 'write'],
    [
      'a removed field without a version change',
      at('1.0.0', removeField),
      'breaking changes need a new major',
      'none',
    ],
    [
      'a removed field with only a minor bump',
      at('1.1.0', removeField),
      'breaking changes need a new major',
      'none',
    ],
    ['a removed field with a major bump', at('2.0.0', removeField), undefined, 'write'],
    [
      'an added optional field without a version change',
      at('1.0.0', addOptional),
      'need a new minor version (PUBLIC_SCHEMA_VERSION 1.1.0)',
      'none',
    ],
    [
      'an added optional field with only a patch bump',
      at('1.0.1', addOptional),
      'need a new minor version',
      'none',
    ],
    ['an added optional field with a minor bump', at('1.1.0', addOptional), undefined, 'write'],
    [
      'a documentation-only change without a version change',
      at('1.0.0', redocument),
      'raise at least the patch version',
      'none',
    ],
    ['a documentation-only change with a patch bump', at('1.0.1', redocument), undefined, 'write'],
    ['a version that goes backwards', at('0.9.0'), 'version went backwards', 'none'],
    ['a version that is not semver', at('1.0'), 'is not semver', 'none'],
  ])('from 1.0.0: %s', (_what, next, problem, action) => {
    const result = evaluateSchemaChange(at('1.0.0'), next);
    if (problem === undefined) expect(result.problems).toEqual([]);
    else expect(result.problems.join('\n')).toContain(problem);
    expect(result.action).toBe(action);
  });

  it('lists the breaking changes in the problem so the author sees why', () => {
    const result = evaluateSchemaChange(at('1.0.0'), at('1.0.0', removeField));
    expect(result.problems[0]).toContain('group: field removed (was required)');
  });

  it('writes one snapshot file per major and reads them back in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'public-schema-'));
    writeSnapshot(at('2.1.0', addOptional), dir);
    writeSnapshot(at('1.3.0'), dir);
    const snapshots = readSnapshots(dir);
    expect(snapshots.map((s) => s.version)).toEqual(['1.3.0', '2.1.0']);
    expect(snapshots[1]!.schema[SCHEMA_VERSION_KEYWORD]).toBe('2.1.0');
    expect(evaluateSchemaChange(snapshots.at(-1), at('2.1.0', addOptional)).action).toBe('none');
  });
});
