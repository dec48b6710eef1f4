import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../..');

/** The machine a result came from; every committed table carries it. */
export function machineInfo(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  // `java -version` prints to stderr and exits 0.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaLine = `${java.stderr ?? ''}${java.stdout ?? ''}`.split('\n')[0]?.trim();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `- Node ${process.version}; Kafka ${process.env.KAFKA_VERSION ?? 'unknown'} (single KRaft node on loopback)`,
    `- Java: ${javaLine || 'unknown'}`,
  ].join('\n');
}

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function percentile(sortedOrNot: number[], p: number): number {
  const sorted = [...sortedOrNot].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Prints the report and writes it to docs/benchmarks/<name>.md. */
export function writeReport(name: string, title: string, body: string): void {
  const text = `# ${title}\n\n${machineInfo()}\n\n${body}\n`;
  const dir = join(repoRoot, 'docs', 'benchmarks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.md`), text);
  process.stdout.write(`${text}\nwritten to docs/benchmarks/${name}.md\n`);
}
