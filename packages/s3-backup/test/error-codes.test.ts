import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as all from '@labeldocs/s3-backup';
import { BACKUP_ERROR_CODES } from '@labeldocs/s3-backup';
import { describe, expect, it } from 'vitest';

const table = readFileSync(join(import.meta.dirname, '../../../docs/error-codes.md'), 'utf8');
const rows = [...table.matchAll(/^\| `(BACKUP_[A-Z_]+)` \| s3-backup \| (yes|no) \|/gm)].map((m) => [
  m[1],
  m[2],
]);

describe('error codes', () => {
  it('match docs/error-codes.md, retryable flag included', () => {
    type ErrorClass = { code: string } & (new (m: string) => { retryable: boolean });
    const classes = (Object.values(all) as unknown[]).filter(
      (v): v is ErrorClass => typeof v === 'function' && typeof (v as { code?: unknown }).code === 'string',
    );
    expect(classes.map((c) => c.code).sort()).toEqual([...BACKUP_ERROR_CODES].sort());
    expect(rows.map(([code]) => code).sort()).toEqual([...BACKUP_ERROR_CODES].sort());
    for (const c of classes)
      expect(rows.find(([code]) => code === c.code)?.[1]).toBe(new c('x').retryable ? 'yes' : 'no');
  });
});
