import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig } from '@labeldocs/local-stack';
import { describe, expect, it } from 'vitest';

const root = loadStackConfig().root;

/** Every `static readonly code = 'X'` declared in the packages' and apps' sources. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/static readonly code = '([A-Z0-9_]+)'/g)) {
          found.set(m[1]!, path.slice(root.length + 1));
        }
      }
    }
  };
  for (const area of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, area))) {
      const src = join(root, area, name, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return found;
}

function codesInDocs(): Set<string> {
  const table = readFileSync(join(root, 'docs/error-codes.md'), 'utf8');
  return new Set([...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
}

describe('docs/error-codes.md', () => {
  it('lists exactly the error codes the code declares', () => {
    const source = codesInSource();
    const docs = codesInDocs();
    const undocumented = [...source.keys()].filter((c) => !docs.has(c)).map((c) => `${c} (${source.get(c)})`);
    const stale = [...docs].filter((c) => !source.has(c));
    expect({ undocumented, stale }).toEqual({ undocumented: [], stale: [] });
    expect(source.size).toBeGreaterThan(0);
  });
});
