import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `./dev test`: lint, typecheck and test every package through turbo (inside `stack run`, so the real
 * servers are up), then add up every package's vitest JSON report into one closing line.
 */
const root = join(import.meta.dirname, '../../..');
const packages = ['packages', 'apps', 'tooling'].flatMap((area) =>
  readdirSync(join(root, area)).map((name) => ({ name: `${area}/${name}`, dir: join(root, area, name) })),
);
const reportOf = (dir: string) => join(dir, 'test-results.json');

// A stale report must never count: turbo restores the cached ones, fresh runs write new ones.
for (const { dir } of packages) rmSync(reportOf(dir), { force: true });

const turbo = spawnSync(
  'turbo',
  [
    'run',
    'lint',
    'typecheck',
    'test',
    '--continue',
    // Integration suites share one broker and two cores: two packages at a time keeps time-outs away.
    '--concurrency=2',
    '--output-logs=new-only',
    '--log-order=grouped',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root },
);

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const { name, dir } of packages) {
  if (!existsSync(reportOf(dir))) {
    // A package with tests whose runner died before reporting is a failure, not zero tests.
    if (existsSync(join(dir, 'vitest.config.ts')) && existsSync(join(dir, 'test'))) {
      process.stdout.write(`${name.padEnd(28)} no test report: its test run did not finish\n`);
      failed += 1;
    }
    continue;
  }
  const report = JSON.parse(readFileSync(reportOf(dir), 'utf8')) as Report;
  process.stdout.write(
    `${name.padEnd(28)} ${report.numPassedTests} passed, ${report.numFailedTests} failed\n`,
  );
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
process.stdout.write(
  `\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(turbo.status !== 0 ? (turbo.status ?? 1) : failed > 0 ? 1 : 0);
