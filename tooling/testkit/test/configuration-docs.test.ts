import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig } from '@labeldocs/local-stack';
import { describe, expect, it } from 'vitest';

const root = loadStackConfig().root;

/** Every variable an app's env schema declares (`  NAME: z...` lines in src/env.ts). */
function declaredVariables(): Map<string, string> {
  const found = new Map<string, string>();
  for (const app of readdirSync(join(root, 'apps'))) {
    const file = join(root, 'apps', app, 'src', 'env.ts');
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) found.set(m[1]!, `apps/${app}/src/env.ts`);
  }
  return found;
}

describe('docs/configuration.md', () => {
  it('documents every variable the apps read', () => {
    const docs = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
    const declared = declaredVariables();
    const missing = [...declared]
      .filter(([name]) => !docs.includes(`\`${name}\``))
      .map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
    expect(declared.size).toBeGreaterThan(20);
  });
});
