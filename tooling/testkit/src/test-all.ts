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
  testResults?: {
    name: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/**
 * Each failed test with the first lines of its error. CI keeps only the tail of the output, so the
 * failures are repeated here, at the very end, where the tail still shows them.
 */
function failuresOf(report: Report, packageName: string, packageDir: string): string[] {
  const lines: string[] = [];
  for (const file of report.testResults ?? []) {
    const where = file.name.startsWith(packageDir)
      ? `${packageName}/${file.name.slice(packageDir.length + 1)}`
      : file.name;
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    // A file that failed to load or whose hooks threw has no failed test, only a message.
    if (failedTests.length === 0 && file.message) lines.push(`  ${where}: ${firstLines(file.message)}`);
    for (const test of failedTests) {
      lines.push(`  ${where} > ${test.fullName}: ${firstLines(test.failureMessages?.join('\n') ?? '')}`);
    }
  }
  return lines;
}

const firstLines = (text: string) =>
  text
    .split('\n')
    // The message and our own frames; the test runner's frames say nothing.
    .filter((line) => line.trim() !== '' && !/node_modules|<anonymous>/.test(line))
    .slice(0, 4)
    .join('\n      ');

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
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
  failures.push(...failuresOf(report, name, dir));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (failures.length > 0) process.stdout.write(`\nFailed tests:\n${failures.join('\n')}\n`);
process.stdout.write(
  `\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(turbo.status !== 0 ? (turbo.status ?? 1) : failed > 0 ? 1 : 0);
