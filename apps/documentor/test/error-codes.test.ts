import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS_BY_CODE, mapError } from '../src/index.js';

const table = readFileSync(join(import.meta.dirname, '../../../docs/error-codes.md'), 'utf8');
const rows = new Map(
  [...table.matchAll(/^\| `([A-Z0-9_]+)` \| [^|]+ \| [^|]+ \| ([^|]+) \|/gm)].map((m) => [
    m[1]!,
    m[2]!.trim(),
  ]),
);

describe('HTTP status mapping', () => {
  it('matches the HTTP column of docs/error-codes.md for every documentor and kv-store code', () => {
    const drift: string[] = [];
    for (const [code, http] of rows) {
      if (!code.startsWith('DOC_') && !code.startsWith('KV_') && !code.startsWith('SCHEMA_')) continue;
      const mapped = HTTP_STATUS_BY_CODE[code];
      const documented = /^\d{3}$/.test(http) ? Number(http) : undefined;
      // '-' or 500 in the table: the code must never reach a client, so it maps to the 500 of a bug.
      const expected = documented === undefined || documented === 500 ? undefined : documented;
      if (mapped !== expected) drift.push(`${code}: table ${http}, code ${mapped ?? 'unmapped (500)'}`);
    }
    for (const code of Object.keys(HTTP_STATUS_BY_CODE))
      if (code.startsWith('DOC_') && !rows.has(code)) drift.push(`${code}: missing from the table`);
    expect(drift).toEqual([]);
  });

  it('turns an unknown error into an opaque 500 and keeps field errors and versions', () => {
    expect(mapError(new TypeError('boom'))).toMatchObject({
      status: 500,
      body: { error: { code: 'DOC_INTERNAL' } },
    });
    const conflict = mapError(Object.assign(new Error('lost'), { code: 'KV_CONFLICT', currentVersion: 4 }));
    expect(conflict).toMatchObject({ status: 409, body: { error: { currentVersion: 4 } } });
    const invalid = mapError(
      Object.assign(new Error('bad'), { code: 'KV_INVALID_VALUE', errors: [{ path: 'x', message: 'y' }] }),
    );
    expect(invalid.body.error.fields).toEqual([{ path: 'x', message: 'y' }]);
    expect(mapError(Object.assign(new Error('later'), { code: 'KV_TIMEOUT' })).retryAfter).toBe(1);
  });
});
