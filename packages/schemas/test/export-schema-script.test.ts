import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PUBLIC_SCHEMA_VERSION, publicLabelJsonSchema, snapshotFileName } from '../src/index.js';

/** Runs the real script (against the built package) on a scratch snapshot directory. */
const script = fileURLToPath(new URL('../scripts/export-schema.ts', import.meta.url));
const run = (dir: string) => spawnSync(process.execPath, [script, '--dir', dir], { encoding: 'utf8' });
const file = snapshotFileName(PUBLIC_SCHEMA_VERSION);

// biome-ignore lint/suspicious/noExplicitAny: test surgery on plain JSON
function scratchWith(change: (s: Record<string, any>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'export-schema-'));
  const schema = structuredClone(publicLabelJsonSchema());
  change(schema);
  writeFileSync(join(dir, file), JSON.stringify(schema));
  return dir;
}

describe('the export-schema script', () => {
  it('writes the first snapshot into an empty directory, then finds it up to date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-schema-'));
    const first = run(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([file]);
    expect(JSON.parse(readFileSync(join(dir, file), 'utf8'))).toEqual(publicLabelJsonSchema());
    const second = run(dir);
    expect(second.stdout).toContain(`public schema ${PUBLIC_SCHEMA_VERSION} is up to date`);
  });

  it('refuses to overwrite a snapshot when the current schema breaks it at the same version', () => {
    // The snapshot lacks a required field the current schema has: to the gate, a new required field.
    const dir = scratchWith((s) => {
      delete s.properties.group;
      s.required = s.required.filter((k: string) => k !== 'group');
    });
    const before = readFileSync(join(dir, file), 'utf8');
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('breaking changes need a new major version');
    expect(result.stdout).toContain('breaking:     group: new required field');
    expect(readFileSync(join(dir, file), 'utf8')).toBe(before);
  });

  it('refuses an additive change without a minor bump', () => {
    const dir = scratchWith((s) => delete s.properties.documentation.oneOf[1].properties.replacement);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('schema changes need a new minor version');
  });

  it('after a major bump writes a new file next to the old major and keeps the old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-schema-'));
    const old = structuredClone(publicLabelJsonSchema('0.3.0'));
    delete (old.properties as Record<string, unknown>).group;
    writeFileSync(join(dir, 'public-label.v0.schema.json'), JSON.stringify(old));
    const result = run(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['public-label.v0.schema.json', file].sort());
    expect(JSON.parse(readFileSync(join(dir, 'public-label.v0.schema.json'), 'utf8'))).toEqual(old);
  });
});
