import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistry } from '@labeldocs/app-kit';
import { fmt, markdownTable, writeReport } from '@labeldocs/bench';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { IngestWorker } from '@labeldocs/metadata-ingest';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';

/**
 * `pnpm bench ingest [--impressions 300000] [--labels-per-impression 50] [--partitions 6] [--rounds 2] [--instances 2]`
 * Pre-fills a topic, then consumes it to the end (a) with raw kafkajs + JSON.parse and (b) with the
 * metadata-ingest worker (decode, validate, aggregate, write through kv-store), in the same run.
 */
const { values } = parseArgs({
  options: {
    impressions: { type: 'string', default: '300000' },
    'labels-per-impression': { type: 'string', default: '50' },
    partitions: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '2' },
    instances: { type: 'string', default: '2' },
    /** The sustained row: a live producer at this rate for this long, one worker with production defaults. */
    'sustain-rate': { type: 'string', default: '25000' },
    'sustain-seconds': { type: 'string', default: '45' },
    'scale-out-only': { type: 'boolean', default: false },
    /** How the pre-fill producer compresses batches: none (the default) or gzip. */
    compression: { type: 'string', default: 'none' },
  },
});
const total = Number(values.impressions);
const perImpression = Number(values['labels-per-impression']);
const partitions = Number(values.partitions);
const rounds = Number(values.rounds);
const instances = Number(values.instances);
if (values.compression !== 'none' && values.compression !== 'gzip')
  throw new Error('--compression: none or gzip');
const compression = values.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({ clientId: 'bench-ingest', brokers, logLevel: logLevel.ERROR });
const base = `bench-ingest-${randomUUID().slice(0, 8)}`;
const log = (line: string) => process.stderr.write(`[bench ingest] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const consumerTuning = {
  maxBytesPerPartition: 4 * 1024 * 1024,
  maxBytes: 16 * 1024 * 1024,
  maxWaitTimeInMs: 200,
};

// The machine is shared: the load next to the numbers says how much else was running.
const loadAtStart = loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const firstWriteAll: Array<{ labels: number; seconds: number; written: number }> = [];

interface Run {
  name: string;
  /** Impressions consumed. */
  count: number;
  seconds: number;
  cpuMs: number;
  writes?: number;
  atClose?: number;
}

// A pool of distinct impressions, cycled: generating 300k × 50 labels would dominate the set-up time.
let pool: Buffer[] | undefined;
function makePool(): Buffer[] {
  const generator = createImpressionGenerator(createDemoCatalog(), {
    labelsPerImpression: perImpression,
    malformedRate: 0,
  });
  return Array.from({ length: 20_000 }, () => Buffer.from(JSON.stringify(generator.impression())));
}

async function prefill(topic: string, total: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  pool ??= makePool();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let bytes = 0;
  for (let sent = 0; sent < total; ) {
    const batches = [];
    for (let b = 0; b < 4 && sent < total; b++) {
      const n = Math.min(4_000, total - sent);
      const messages = Array.from({ length: n }, (_, i) => pool![(sent + i) % pool!.length]!);
      for (const m of messages) bytes += m.length;
      batches.push(
        producer.send({ topic, acks: 1, compression, messages: messages.map((value) => ({ value })) }),
      );
      sent += n;
    }
    await Promise.all(batches);
  }
  await producer.disconnect();
  return bytes / total;
}

/** Raw kafkajs: the same topic, the same JSON, nothing else. */
async function raw(round: number, topic: string): Promise<Run> {
  const consumer = kafka.consumer({ groupId: `${base}.raw-${round}`, ...consumerTuning });
  let seen = 0;
  let labels = 0;
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (t0 === 0) {
          t0 = performance.now();
          cpu0 = process.cpuUsage();
        }
        for (const message of batch.messages) {
          const value = JSON.parse(message.value!.toString('utf8')) as { labels: object };
          labels += Object.keys(value.labels).length;
          seen++;
        }
        if (seen >= total) resolve();
      },
    });
  });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  log(`raw: ${seen} impressions, ${fmt(labels / seen)} labels each, ${fmt(seen / seconds, 0)}/s`);
  return {
    name: `raw kafkajs + JSON.parse (round ${round})`,
    count: total,
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function ingest(
  name: string,
  source: string,
  count: number,
  tracked: string,
  group: string,
): Promise<Run> {
  const registry = createRegistry('metadata-ingest');
  const worker = new IngestWorker({
    brokers,
    impressionsTopic: source,
    aggregatesTopic: `${base}.aggregates`,
    dlqTopic: `${base}.dlq`,
    trackedLabelsTopic: tracked,
    labelsTopic: `${base}.labels`,
    groupId: group,
    registry,
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
    ...(process.env.BENCH_NO_WRITES ? { flushIntervalMs: 600_000, commitIntervalMs: 600_000 } : {}),
  });
  await worker.start();
  const counted = async () => (await worker.metrics.impressions.get()).values[0]?.value ?? 0;
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  for (;;) {
    const n = await counted();
    if (n > 0 && t0 === 0) {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    }
    if (n >= count) break;
    await sleep(20);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const writes = (await worker.metrics.labelWrites.get()).values[0]?.value ?? 0;
  // Cold start only: how long kv-store takes to store every label once (all of them are new).
  if (name.startsWith('metadata-ingest, cold')) {
    const labels = worker.aggregator.entries.size;
    const writesDone = async () => (await worker.metrics.labelWrites.get()).values[0]?.value ?? 0;
    for (let i = 0; i < 1_200 && (await writesDone()) < labels; i++) await sleep(100);
    firstWriteAll.push({ labels, seconds: (performance.now() - t0) / 1000, written: await writesDone() });
  }
  await worker.close();
  const atClose = ((await worker.metrics.labelWrites.get()).values[0]?.value ?? 0) - writes;
  log(
    `${name}: ${fmt(count / seconds, 0)}/s, ${writes} label writes during the run, ${atClose} at the closing commit`,
  );
  return { name, count, seconds, cpuMs: (cpu.user + cpu.system) / 1000, writes, atClose };
}

/** `instances` child processes in one consumer group, `raw` or `ingest`; CPU summed over the children. */
async function scaleOut(mode: 'raw' | 'ingest', count: number, topic: string, tracked: string): Promise<Run> {
  const group = `${base}.${mode}-x${count}`;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [join(import.meta.dirname, 'child.ts'), mode, topic, group, tracked], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const last = children.map(() => ({ count: 0, cpuMs: 0 }));
  children.forEach((child, i) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{"count"')) continue; // log lines share stdout
        last[i] = JSON.parse(line);
      }
    });
  });
  const sum = () =>
    last.reduce((acc, l) => ({ count: acc.count + l.count, cpuMs: acc.cpuMs + l.cpuMs }), {
      count: 0,
      cpuMs: 0,
    });
  // Measured between 20% and 90% of the topic: joining and the rebalance as the second process arrives
  // are start-up costs, not throughput.
  const at = async (share: number) => {
    while (sum().count < total * share) await sleep(10);
    return { t: performance.now(), cpuMs: sum().cpuMs, count: sum().count };
  };
  const from = await at(0.2);
  const to = await at(0.9);
  const seconds = (to.t - from.t) / 1000;
  const cpuMs = to.cpuMs - from.cpuMs;
  const measured = to.count - from.count;
  for (const child of children) child.kill('SIGTERM');
  const name = `${mode === 'raw' ? 'raw kafkajs + JSON.parse' : 'metadata-ingest, warm'} × ${count} processes`;
  log(`${name}: ${fmt(measured / seconds, 0)}/s`);
  return { name, count: measured, seconds, cpuMs };
}

interface Sustained {
  rate: number;
  produced: number;
  consumed: number;
  seconds: number;
  lagAtEnd: number;
  cpuMs: number;
  writes: number;
}

/**
 * Live traffic: a paced producer (its own process) writes `rate` impressions/s for `seconds` while one worker
 * with production defaults consumes them. Sustained means the lag stays small; the writes to the
 * tracked-labels topic over a window longer than the commit interval are its real write rate.
 */
async function sustained(tracked: string): Promise<Sustained> {
  const rate = Number(values['sustain-rate']);
  const seconds = Number(values['sustain-seconds']);
  const topic = `${base}.sustained`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  const registry = createRegistry('metadata-ingest');
  const worker = new IngestWorker({
    brokers,
    impressionsTopic: topic,
    aggregatesTopic: `${base}.aggregates`,
    dlqTopic: `${base}.dlq`,
    trackedLabelsTopic: tracked,
    labelsTopic: `${base}.labels`,
    groupId: `${base}.sustained`,
    registry,
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
  });
  await worker.start();
  while (worker.notReadyReason() !== undefined) await sleep(50);
  const counter = async (c: { get(): Promise<{ values: Array<{ value: number }> }> }) =>
    (await c.get()).values[0]?.value ?? 0;
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, 'paced-producer.ts'),
      topic,
      String(rate),
      String(seconds),
      String(perImpression),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let produced = 0;
  let pacing = false;
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{"sent"')) continue;
      pacing = true;
      produced = JSON.parse(line).sent;
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  while (!pacing) await sleep(10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const consumed0 = await counter(worker.metrics.impressions);
  const writes0 = await counter(worker.metrics.labelWrites);
  await exited;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const consumed = (await counter(worker.metrics.impressions)) - consumed0;
  const result = {
    rate,
    produced,
    consumed,
    seconds: elapsed,
    lagAtEnd: produced - (await counter(worker.metrics.impressions)),
    cpuMs: (cpu.user + cpu.system) / 1000,
    writes: (await counter(worker.metrics.labelWrites)) - writes0,
  };
  await worker.close();
  log(
    `sustained at ${rate}/s for ${seconds} s: consumed ${fmt(consumed / elapsed, 0)}/s, lag at the end ${result.lagAtEnd}, ${result.writes} label writes`,
  );
  return result;
}

async function cleanup(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(base));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
}

try {
  // Every measured pass reads a topic of its own: the worker stores how far it counted each topic, so a second
  // pass over the same topic would be skipped as a replay (and look faster than it is).
  const fresh = async (name: string, count = total) => {
    const t = `${base}.${name}`;
    log(`pre-filling ${t}: ${count} impressions, ~${perImpression} labels each, ${partitions} partitions`);
    return { topic: t, avgBytes: await prefill(t, count) };
  };
  const tracked = `${base}.tracked`;
  const runs: Run[] = [];
  // Cold: a fresh tracked-labels topic, so every label is new and written during the run (a first start).
  const warmupCount = Math.min(total, 50_000);
  const warmup = await fresh('warmup', warmupCount);
  runs.push(
    await ingest(
      'metadata-ingest, cold start (every label new)',
      warmup.topic,
      warmupCount,
      tracked,
      `${base}.cold`,
    ),
  );
  // Warm: the same tracked-labels topic (the labels exist), a topic not counted yet: a running service.
  let avgBytes = 0;
  for (let r = 1; r <= (values['scale-out-only'] ? 0 : rounds); r++) {
    const round = await fresh(`round-${r}`);
    avgBytes = round.avgBytes;
    runs.push(await raw(r, round.topic));
    runs.push(
      await ingest(`metadata-ingest, warm (round ${r})`, round.topic, total, tracked, `${base}.warm-${r}`),
    );
  }
  if (instances > 1) {
    const shared = await fresh('scale-out');
    runs.push(await scaleOut('raw', instances, shared.topic, tracked));
    runs.push(await scaleOut('ingest', instances, shared.topic, tracked));
  }
  const live = Number(values['sustain-seconds']) > 0 ? await sustained(tracked) : undefined;
  const rawBest = Math.max(
    ...runs.filter((r) => r.name.startsWith('raw') && !r.name.includes('×')).map((r) => r.count / r.seconds),
  );
  // The machine is shared: compare each worker run with the raw run just before it on the same topic too.
  const rate = (r: Run) => r.count / r.seconds;
  const rows = runs.map((r, i) => [
    r.name,
    fmt(rate(r), 0),
    fmt(rate(r) / rawBest, 2),
    r.name.startsWith('metadata-ingest, warm') && runs[i - 1]?.name.startsWith('raw')
      ? fmt(rate(r) / rate(runs[i - 1]!), 2)
      : '-',
    fmt(r.cpuMs / (r.count / 1000), 1),
    r.writes === undefined ? '-' : `${r.writes} during the run, ${r.atClose ?? 0} at the closing commit`,
  ]);
  const body = [
    `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}.`,
    '',
    `Consume ${total.toLocaleString('en')} pre-filled impressions (~${perImpression} labels each, ${fmt(avgBytes, 0)} bytes average, ${partitions} partitions, compression: ${values.compression}) to the end.`,
    'Raw = kafkajs eachBatch + JSON.parse + counting labels, same consumer fetch settings. The worker decodes and validates every impression,',
    'aggregates every label (counts, days, types, samples with PII checks, page types) and writes tracked-label metadata through kv-store',
    'with its production defaults (meaningful changes every 1 s, everything plus an offset commit every 30 s).',
    '',
    '- cold start: a fresh tracked-labels topic, so every label is new and written during the run (a separate topic of',
    `  ${Math.min(total, 50_000).toLocaleString('en')} impressions, which also leaves the state warm for the next rows);`,
    '- warm: the steady state of a running service: the labels exist; the raw run and the worker read the same topic;',
    `- × ${instances} processes: the same consumer group in ${instances} processes sharing the partitions (how the service scales`,
    '  out; the raw baseline is scaled the same way). CPU is summed over the processes.',
    '',
    markdownTable(
      [
        'run',
        'impressions/s',
        '× best raw',
        '× raw just before',
        'CPU ms per 1k impressions',
        'metadata topic writes',
      ],
      rows,
    ),
    '',
    ...(live === undefined
      ? []
      : [
          `Sustained, live: a producer in its own process sends ${live.rate.toLocaleString('en')} impressions/s (the seed's peak) for ${fmt(live.seconds, 0)} s`,
          'while one worker with production defaults (flush 1 s, commit 30 s) consumes them as they arrive. Its writes to the',
          'tracked-labels topic are the real write rate: every label once when traffic starts (the stored last-seen is older',
          'than the 60 s interval: a meaningful change), then every label with new counts once per commit.',
          '',
          markdownTable(
            [
              'produced/s',
              'consumed/s',
              'not yet consumed when the producer stopped',
              'worker CPU ms per 1k impressions',
              'tracked-label writes',
              'writes/s',
            ],
            [
              [
                fmt(live.produced / live.seconds, 0),
                fmt(live.consumed / live.seconds, 0),
                live.lagAtEnd,
                fmt(live.cpuMs / (live.consumed / 1000), 1),
                live.writes,
                fmt(live.writes / live.seconds, 1),
              ],
            ],
          ),
          '',
        ]),
    ...firstWriteAll.map(
      (w) =>
        `Storing every label once (${w.labels} labels, all new): ${w.written} written ${fmt(w.seconds, 1)} s after the first impression, i.e. kv-store sustained about ${fmt(w.written / w.seconds, 0)} conditional writes/s alongside the consumption.`,
    ),
    '',
    `Goal: >= 25,000 impressions/s and >= 0.7× raw. Writes to the tracked-labels topic depend on the number of labels and the`,
    'intervals, not on traffic: at most one write per label per flush when something meaningful changed (a new label, value type or',
    'day, or last-seen moved by a minute), plus one per label with new counts per commit (every 30 s, and at shutdown). A warm run',
    'shorter than the commit interval therefore writes nothing until it closes; in steady state that is at most 1,414 labels / 30 s',
    '≈ 47 writes/s, whatever the traffic.',
    '',
    'Reading the numbers: this 2-core machine is shared with other test suites, so absolute rates swing a lot between',
    'passes; "× raw just before" (same topic, consecutive passes) is the fairer ratio. Both sides pay for JSON.parse, which',
    "dominates (about 60% of the worker's CPU, 80% of raw's in `bench/profile.ts`); the worker adds the checks of the decoded",
    'impression and the per-label aggregation (about 50 labels each). One process runs kafkajs and the parsing on one thread;',
    'several processes in the same consumer group (how metadata-ingest scales out) use both cores, and the raw baseline gets',
    'the same number of processes, the same topic and the same JSON decoding.',
    '',
    `Command: \`pnpm bench ingest --impressions ${total} --labels-per-impression ${perImpression} --partitions ${partitions} --rounds ${rounds} --instances ${instances} --compression ${values.compression} --sustain-rate ${values['sustain-rate']} --sustain-seconds ${values['sustain-seconds']}\``,
  ].join('\n');
  writeReport('metadata-ingest', 'Benchmark: metadata-ingest throughput', body);
} finally {
  await cleanup();
}
process.exit(0);
