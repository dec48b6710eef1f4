import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './report.ts';

/** `pnpm bench <name> [args]`: builds, then runs that benchmark inside the local stack (via `stack run`). */
const benches: Record<string, string> = {
  'kv-store': 'packages/kv-store/bench/run.ts',
  documentor: 'apps/documentor/bench/run.ts',
  ingest: 'apps/metadata-ingest/bench/run.ts',
  propagation: 'apps/public-publisher/bench/run.ts',
  backup: 'packages/s3-backup/bench/run.ts',
  schemas: 'packages/schemas/bench/run.ts',
};

const [name, ...args] = process.argv.slice(2);
const file = name === undefined ? undefined : benches[name];
if (file === undefined || !existsSync(join(repoRoot, file))) {
  const available = Object.entries(benches).filter(([, f]) => existsSync(join(repoRoot, f)));
  process.stderr.write(`usage: pnpm bench <${available.map(([n]) => n).join('|')}> [args]\n`);
  process.exit(2);
}
const build = spawnSync('turbo', ['run', 'build', '--output-logs=errors-only'], {
  stdio: 'inherit',
  cwd: repoRoot,
});
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, ['--expose-gc', join(repoRoot, file), ...args], {
  stdio: 'inherit',
  cwd: repoRoot,
});
process.exit(run.status ?? 1);
