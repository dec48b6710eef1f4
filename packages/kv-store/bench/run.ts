// pnpm bench kv-store [keys=100000] [--write-only]: bootstrap, memory per key and write latency, each against a
// baseline. --write-only measures only write latency and prints it (the committed report is left alone).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fmt, markdownTable, repoRoot, writeReport } from '@labeldocs/bench';
import { labelRecordCodec } from '@labeldocs/schemas';
import { Kafka, logLevel } from 'kafkajs';
import { labelName, labelRecord } from './data.ts';
import { measureWriteLatency } from './write-latency.ts';

const args = process.argv.slice(2);
const keys = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({ clientId: 'bench-kv', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const run = randomUUID().slice(0, 8);
const created: string[] = [];

if (args.includes('--write-only')) {
  const { rows } = await measureWriteLatency(kafka, admin, brokers, run, created);
  process.stdout.write(`${markdownTable(['writer', 'p50', 'p99', 'p50 vs raw'], rows)}\n`);
  await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
  process.exit(0);
}

async function createTopic(topic: string, compact: boolean): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 3,
        configEntries: compact ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      },
    ],
  });
  created.push(topic);
}

/** Fills a state topic as kv-store writes it: key, value, version header. Returns the raw JSON bytes. */
async function fill(topic: string): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let bytes = 0;
  for (let start = 0; start < keys; start += 2_000) {
    const messages = [];
    for (let i = start; i < Math.min(keys, start + 2_000); i += 1) {
      const key = labelName(i);
      const value = labelRecordCodec.encode(labelRecord(i));
      bytes += Buffer.byteLength(key) + value.length;
      messages.push({ key, value, headers: { 'kv-version': '1' } });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return bytes;
}

interface ChildResult {
  mode: string;
  ms: number;
  records: number;
  heap: number;
  rss: number;
}

function child(mode: string, topic: string): ChildResult {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      new URL('./bootstrap-child.ts', import.meta.url).pathname,
      mode,
      brokers.join(','),
      topic,
      String(keys),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult;
}

/** Kafka's own consumer perf tool (JVM), through the local-stack CLI. */
function perfTool(topic: string): { ms: number; rate: number; wall: number } {
  const started = performance.now();
  const out = execFileSync(
    process.execPath,
    [
      'tooling/local-stack/src/cli.ts',
      'kafka',
      'consumer-perf-test',
      '--bootstrap-server',
      brokers[0] ?? '',
      '--topic',
      topic,
      '--messages',
      String(keys),
      '--group',
      `bench-perf-${run}`,
      '--timeout',
      '60000',
    ],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const wall = performance.now() - started;
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = out.trim().split('\n').pop() ?? '';
  const cells = line.split(',').map((c) => c.trim());
  const msgs = Number(cells[4]);
  const fetchMs = Number(cells[7]);
  return { ms: fetchMs, rate: Number(cells[9] ?? msgs / (fetchMs / 1000)), wall };
}

// --- bootstrap and memory
const stateTopic = `bench-kv-${run}`;
await createTopic(stateTopic, true);
process.stdout.write(`filling ${stateTopic} with ${keys} records...\n`);
const rawBytes = await fill(stateTopic);
// The machine is shared and noisy: three interleaved rounds, the median of each reader is reported.
const modes = ['raw', 'raw-parse', 'store-plain', 'store'];
const rounds = modes.map(() => [] as ChildResult[]);
for (let round = 0; round < 3; round += 1) {
  modes.forEach((mode, m) => {
    process.stdout.write(`bootstrap round ${round + 1}: ${mode}\n`);
    rounds[m]?.push(child(mode, stateTopic));
  });
}
const results = rounds.map((runs) => [...runs].sort((a, b) => a.ms - b.ms)[1] as ChildResult);
process.stdout.write('bootstrap: kafka-consumer-perf-test\n');
const perf = perfTool(stateTopic);
const byMode = new Map(results.map((r) => [r.mode, r]));
const raw = byMode.get('raw') as ChildResult;
const rawParse = byMode.get('raw-parse') as ChildResult;
const rate = (r: ChildResult) => r.records / (r.ms / 1000);
const label: Record<string, string> = {
  raw: 'raw kafkajs consumer (bytes kept in a Map)',
  'raw-parse': 'raw kafkajs consumer + JSON.parse',
  'store-plain': 'kv-store, JSON.parse codec (no validation)',
  store: 'kv-store, labelRecordCodec (zod validation)',
};
const bootstrapRows = results.map((r) => [
  label[r.mode] ?? r.mode,
  fmt(r.ms / 1000, 2),
  fmt(rate(r), 0),
  `${fmt(rate(r) / rate(raw), 2)}×`,
  `${fmt(rate(r) / rate(rawParse), 2)}×`,
]);
bootstrapRows.push([
  'kafka-consumer-perf-test (JVM; fetch time, wall incl. JVM start in brackets)',
  `${fmt(perf.ms / 1000, 2)} (${fmt(perf.wall / 1000, 1)})`,
  fmt(perf.rate, 0),
  `${fmt(perf.rate / rate(raw), 2)}×`,
  '-',
]);
const perKey = (n: number) => n / keys;
const memoryRows = results.map((r) => [
  label[r.mode] ?? r.mode,
  fmt(perKey(r.heap), 0),
  fmt(perKey(r.rss), 0),
  `${fmt(r.heap / rawBytes, 2)}×`,
  `${fmt(r.rss / rawBytes, 2)}×`,
]);

// --- write latency
process.stdout.write('write latency...\n');
const { rows: latencyRows, p50Ratios } = await measureWriteLatency(kafka, admin, brokers, run, created);
await admin.deleteTopics({ topics: created }).catch(() => undefined);
await admin.disconnect();

function notes(): string {
  const store = byMode.get('store') as ChildResult;
  const plain = byMode.get('store-plain') as ChildResult;
  const [single = Number.NaN, concurrent = Number.NaN] = p50Ratios;
  return [
    `- **Bootstrap**: kv-store with labelRecordCodec reaches ${fmt(rate(store) / rate(raw), 2)}× raw kafkajs (goal 0.7×, missed by ${fmt(0.7 / (rate(store) / rate(raw)), 1)}×). The raw baseline never decodes a value; JSON.parse alone brings it to ${fmt(rate(rawParse) / rate(raw), 2)}×, and the codec's zod validation costs more than the parse (JSON.parse-only codec: ${fmt(rate(plain) / rate(raw), 2)}× raw, ${fmt(rate(plain) / rate(rawParse), 2)}× raw + JSON.parse). The rest of the store's overhead is the topic checks at start, the version header and the versioned wrapper per record. kv-store validates every record it applies on purpose (a bad record is skipped and counted, never served); a trusted-decode fast path would be a codec feature (schemas).`,
    `- **Memory**: the heap stays within the goal (${fmt(store.heap / rawBytes, 2)}× the raw JSON bytes; decoded JS objects alone are ${fmt(rawParse.heap / rawBytes, 2)}×). RSS is ${fmt(store.rss / rawBytes, 2)}× (goal missed by ${fmt(store.rss / rawBytes / 2, 1)}×): it also counts V8's heap headroom after growth, kafkajs fetch buffers (up to 16 MB per fetch) and code; raw kafkajs keeping only the bytes is already ${fmt(raw.rss / rawBytes, 2)}×.`,
    `- **Write latency**: p50 is ${fmt(single, 1)}× raw one at a time and ${fmt(concurrent, 1)}× with 16 concurrent writers (goal 1.5×, missed by ${fmt(single / 1.5, 1)}× and ${fmt(concurrent / 1.5, 1)}×). A raw send is one produce round trip. A kv-store write is a command produce, the writer's fetch wake-up, one transaction (AddPartitionsToTxn, Produce, AddOffsetsToTxn, TxnOffsetCommit, EndTxn with its markers) and the requester's read_committed fetch wake-up: this is the price of one fenced writer per partition (no lost update, rebuild-safe after compaction) plus read-your-writes. An instrumented run on this machine put a median single write at ~4 ms until the writer sees the command, ~13 ms inside the transaction and ~3.5 ms until the requester has applied the record; that was before the repo's kafkajs patch, which caches the transaction/group coordinators (kafkajs 2.2.4 sent a FindCoordinator before each transactional call) and retries CONCURRENT_TRANSACTIONS after 1, 2, 3… ms instead of 300 ms+; it took the single-write p50 from 13.6 to 7.6 ms and p99 from 90 to 16 ms. Under concurrency the writer decides all commands of a fetch in one transaction, which amortises it.`,
  ].join('\n');
}

const body = [
  `${keys.toLocaleString('en')} keys, 3 partitions, values are label records of ~${fmt(rawBytes / keys, 0)} bytes (key + JSON value) on average. Every row in a table was measured in the same run as its baseline.`,
  '',
  '## Bootstrap (start → ready; goal ≥ 0.7× raw kafkajs; median of 3 interleaved rounds)',
  '',
  markdownTable(['reader', 'seconds', 'records/s', 'vs raw kafkajs', 'vs raw + JSON.parse'], bootstrapRows),
  '',
  '## Memory per key after bootstrap (goal ≤ 2× raw JSON bytes)',
  '',
  `Raw JSON: ${fmt(rawBytes / keys, 0)} bytes per key. Deltas of a fresh process after two forced GCs.`,
  '',
  markdownTable(
    ['reader', 'heap bytes/key', 'RSS bytes/key', 'heap vs raw JSON', 'RSS vs raw JSON'],
    memoryRows,
  ),
  '',
  '## Write latency in ms (goal: p50 ≤ 1.5× raw)',
  '',
  markdownTable(['writer', 'p50', 'p99', 'p50 vs raw'], latencyRows),
  '',
  '## Where the goals are missed, and why',
  '',
  notes(),
].join('\n');
writeReport('kv-store', 'kv-store benchmark', body);
process.exit(0);
