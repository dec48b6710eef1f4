import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `./dev test`: lint, typecheck and test every package through turbo (inside `stack run`, so the real
 * servers are up), then add up every package's vitest JSON report into one closing line.
 */
const root = join(import.meta.dirname, '../../..');
const turbo = spawnSync(
  'turbo',
  [
    'run',
    'lint',
    'typecheck',
    'test',
    '--continue',
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
for (const area of ['packages', 'apps', 'tooling']) {
  for (const name of readdirSync(join(root, area))) {
    const file = join(root, area, name, 'test-results.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    process.stdout.write(
      `${`${area}/${name}`.padEnd(28)} ${report.numPassedTests} passed, ${report.numFailedTests} failed\n`,
    );
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
}
process.stdout.write(
  `\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(turbo.status ?? 1);
