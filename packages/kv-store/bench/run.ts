// pnpm bench kv-store [keys...] [--write-only | --bootstrap-only]: bootstrap and memory per key for each size
// (default 100000 and 1000000 keys), then write latency, each against a baseline. --write-only measures only
// write latency and prints it (the committed report is left alone). --bootstrap-only measures bootstrap and
// memory and keeps the committed report's write-latency table and note as they are.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fmt, markdownTable, repoRoot, writeReport } from '@labeldocs/bench';
import { Kafka, logLevel } from 'kafkajs';
import {
  type BootstrapReport,
  bootstrapHeaders,
  boundedYoungGenerationFlags,
  measureBootstrap,
  memoryHeaders,
} from './bootstrap.ts';
import { measureWriteLatency, writeLatencyNote } from './write-latency.ts';

const args = process.argv.slice(2);
// Bootstrap and memory are measured for every size given (default: the 100k and 1M keys).
const given = args.filter((a) => !a.startsWith('--')).map(Number);
const sizes = given.length > 0 ? given : [100_000, 1_000_000];
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({ clientId: 'bench-kv', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const run = randomUUID().slice(0, 8);
// The machine is shared: the 1-minute load average at start and end says how noisy the run was.
const loadAtStart = loadavg()[0] ?? Number.NaN;
const created: string[] = [];

if (args.includes('--write-only')) {
  const { rows } = await measureWriteLatency(kafka, admin, brokers, run, created);
  process.stdout.write(`${markdownTable(['writer', 'p50', 'p99', 'p50 vs raw'], rows)}\n`);
  await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
  process.exit(0);
}

// --- bootstrap and memory
const boots: Array<{ keys: number } & BootstrapReport> = [];
for (const keys of sizes) {
  boots.push({ keys, ...(await measureBootstrap(kafka, admin, brokers, keys, `${run}-${keys}`, created)) });
  // Each size's topic goes as soon as it was measured: 1M records are ~600 MB on the broker.
  await admin.deleteTopics({ topics: created.splice(0) }).catch(() => undefined);
}

// --- write latency: measured, or with --bootstrap-only the committed section and note kept as they are
const writeLatency = args.includes('--bootstrap-only') ? committedWriteLatency() : await measureWrites();
await admin.disconnect();

async function measureWrites(): Promise<{ section: string; note: string }> {
  process.stdout.write('write latency...\n');
  const { rows, p50Ratios } = await measureWriteLatency(kafka, admin, brokers, run, created);
  await admin.deleteTopics({ topics: created }).catch(() => undefined);
  return {
    section: [
      '## Write latency in ms (goal: p50 ≤ 1.5× raw)',
      '',
      markdownTable(['writer', 'p50', 'p99', 'p50 vs raw'], rows),
      '',
    ].join('\n'),
    note: writeLatencyNote(p50Ratios),
  };
}

function committedWriteLatency(): { section: string; note: string } {
  const report = readFileSync(join(repoRoot, 'docs/benchmarks/kv-store.md'), 'utf8');
  const start = report.indexOf('## Write latency');
  const end = report.indexOf('\n## ', start + 1);
  const note = report.split('\n').find((line) => line.startsWith('- **Write latency**'));
  if (start < 0 || end < 0 || note === undefined)
    throw new Error('--bootstrap-only: docs/benchmarks/kv-store.md has no write-latency section to keep');
  return { section: report.slice(start, end), note };
}

function notes(): string {
  return [
    ...boots.flatMap((b) =>
      b.notes.map((n) => n.replace('- **', `- **${b.keys.toLocaleString('en')} keys, `)),
    ),
    writeLatency.note,
  ].join('\n');
}

const sections = boots.flatMap((b) => [
  `## Bootstrap, ${b.keys.toLocaleString('en')} keys (start → ready; goal ≥ 0.7× raw kafkajs; median of 3 interleaved rounds)`,
  '',
  `Label records of ~${fmt(b.rawBytes / b.keys, 0)} bytes (key + JSON value) on average, 3 partitions, one version each. Every reader runs in its own process with Node's defaults, as the apps do, except the last row (\`${boundedYoungGenerationFlags.join(' ')}\`, docs/operations.md).`,
  '',
  markdownTable(bootstrapHeaders, b.bootstrapRows),
  '',
  `## Memory per key, ${b.keys.toLocaleString('en')} keys (goal ≤ 2× raw JSON bytes)`,
  '',
  `Raw JSON: ${fmt(b.rawBytes / b.keys, 0)} bytes per key. Deltas of a fresh process after two forced GCs: at ready, then after reading every key once (entries(); for the raw readers a walk over the map).`,
  '',
  markdownTable(memoryHeaders, b.memoryRows),
  '',
]);

const body = [
  `Every row in a table was measured in the same run as its baseline. Bootstrap children run one at a time, under the bench lock; other engineers' tests may run meanwhile (1-minute load average ${fmt(loadAtStart, 1)} at the start, ${fmt(loadavg()[0] ?? Number.NaN, 1)} at the end), so compare within a table.`,
  '',
  ...sections,
  writeLatency.section,
  '## Goals: met or missed, and why',
  '',
  notes(),
].join('\n');
writeReport('kv-store', 'kv-store benchmark', body);
process.exit(0);
