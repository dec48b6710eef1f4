import { readFileSync } from 'node:fs';
import { createDemoCatalog, demoLabelRecords } from '@labeldocs/demo-data';
import { contentOf } from './catalog/label-content.js';

export interface SeedOptions {
  /** Documentor's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An ops token. */
  token: string;
  /** A JSON array (or CSV export) to load instead of the demo catalog. */
  file?: string | undefined;
  dryRun: boolean;
  /** How long to wait for the app to be ready. */
  readyTimeoutMs?: number;
  log: (line: string) => void;
}

export interface SeedResult {
  created: number;
  alreadyPresent: number;
  invalid: number;
}

/** The demo catalog's documented labels as import items; `version: 0` means "create only, never overwrite". */
export function demoItems(): unknown[] {
  return demoLabelRecords(createDemoCatalog()).map((r) => ({ name: r.name, version: 0, ...contentOf(r) }));
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`seed: ${url} was not ready after ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Loads labels through the HTTP import (so they are validated and recorded like any import, by the token's
 * actor). Labels that already exist are left alone, so seeding twice changes nothing.
 */
export async function seed(options: SeedOptions): Promise<SeedResult> {
  await waitReady(options.url, options.readyTimeoutMs ?? 60_000);
  const isCsv = options.file?.endsWith('.csv') ?? false;
  const body = options.file ? readFileSync(options.file, 'utf8') : JSON.stringify(demoItems());
  const res = await fetch(`${options.url}/import?dryRun=${options.dryRun}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token}`,
      'content-type': isCsv ? 'text/csv' : 'application/json',
    },
    body,
  });
  const report = (await res.json()) as {
    creates?: string[];
    conflicts?: unknown[];
    unchanged?: string[];
    updates?: string[];
    invalid?: Array<{ path: string; message: string }>;
    applied?: number;
    error?: { message: string; fields?: Array<{ path: string; message: string }> };
  };
  if (!res.ok) {
    const fields = report.error?.fields?.slice(0, 20).map((f) => `  ${f.path}: ${f.message}`) ?? [];
    throw new Error(
      [`seed: import failed with ${res.status}: ${report.error?.message ?? ''}`, ...fields].join('\n'),
    );
  }
  const result = {
    created: options.dryRun ? (report.creates?.length ?? 0) : (report.applied ?? 0),
    alreadyPresent: (report.conflicts?.length ?? 0) + (report.unchanged?.length ?? 0),
    invalid: report.invalid?.length ?? 0,
  };
  options.log(
    `seed: ${options.dryRun ? 'would create' : 'created'} ${result.created} labels, ${result.alreadyPresent} already present (left as they are)`,
  );
  return result;
}
