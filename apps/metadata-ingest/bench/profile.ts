import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createRegistry } from '@labeldocs/app-kit';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { IngestWorker } from '@labeldocs/metadata-ingest';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';

/**
 * `node apps/metadata-ingest/bench/profile.ts [--mode ingest|raw] [--impressions 200000] [--out file.cpuprofile]`
 * Pre-fills a fresh topic, then consumes it to the end in this process with the CPU profiler on only while
 * consuming (not while pre-filling), and prints the hottest functions by self time. A tool for finding hot
 * spots, not a benchmark: `pnpm bench ingest` measures.
 */
const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'ingest' },
    impressions: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '6' },
    compression: { type: 'string', default: 'none' },
    out: { type: 'string' },
  },
});
const total = Number(values.impressions);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({ clientId: 'profile-ingest', brokers, logLevel: logLevel.ERROR });
const base = `profile-ingest-${randomUUID().slice(0, 8)}`;
const topic = `${base}.impressions`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const compression = values.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;

async function prefill(topic: string, total: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: Number(values.partitions) }],
  });
  await admin.disconnect();
  const generator = createImpressionGenerator(createDemoCatalog(), {
    labelsPerImpression: 50,
    malformedRate: 0,
  });
  const pool = Array.from({ length: 20_000 }, () => Buffer.from(JSON.stringify(generator.impression())));
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let sent = 0; sent < total; ) {
    const n = Math.min(4_000, total - sent);
    const messages = Array.from({ length: n }, (_, i) => ({ value: pool[(sent + i) % pool.length]! }));
    await producer.send({ topic, acks: 1, compression, messages });
    sent += n;
  }
  await producer.disconnect();
}

async function consumeRaw(onStart: () => Promise<void>, onEnd: () => Promise<void>): Promise<void> {
  const consumer = kafka.consumer({
    groupId: `${base}.raw`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
    maxWaitTimeInMs: 200,
  });
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (seen === 0) await onStart();
        for (const message of batch.messages) {
          JSON.parse(message.value!.toString('utf8'));
          seen++;
        }
        if (seen >= total) resolve();
      },
    });
  });
  await onEnd();
  await consumer.disconnect();
}

async function consumeIngest(
  topic: string,
  total: number,
  onStart: () => Promise<void>,
  onEnd: () => Promise<void>,
): Promise<void> {
  const worker = new IngestWorker({
    brokers,
    impressionsTopic: topic,
    aggregatesTopic: `${base}.aggregates`,
    dlqTopic: `${base}.dlq`,
    trackedLabelsTopic: `${base}.tracked`,
    labelsTopic: `${base}.labels`,
    groupId: `${topic}.ingest`,
    registry: createRegistry('metadata-ingest'),
    logger: pino({ level: 'warn' }),
  });
  await worker.start();
  const counted = async () => (await worker.metrics.impressions.get()).values[0]?.value ?? 0;
  while ((await counted()) === 0) await sleep(5);
  await onStart();
  while ((await counted()) < total) await sleep(5);
  await onEnd();
  await worker.close();
}

try {
  await prefill(topic, total);
  // The steady state of a running service: every label already stored (as in the bench's warm rows).
  await prefill(`${base}.warmup`, 20_000);
  if (values.mode !== 'raw') {
    const nothing = async () => undefined;
    await consumeIngest(`${base}.warmup`, 20_000, nothing, nothing);
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  let cpuMs = 0;
  const onStart = async () => {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    await session.post('Profiler.start');
  };
  let seconds = 0;
  let profile: Awaited<ReturnType<typeof stop>>['profile'] | undefined;
  const stop = () => session.post('Profiler.stop');
  const onEnd = async () => {
    seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    cpuMs = (cpu.user + cpu.system) / 1000;
    ({ profile } = await stop());
  };
  await (values.mode === 'raw' ? consumeRaw(onStart, onEnd) : consumeIngest(topic, total, onStart, onEnd));
  if (profile === undefined) throw new Error('no profile');
  if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(profile));
  process.stdout.write(
    `${values.mode}: ${total} impressions, ${(total / seconds).toFixed(0)}/s, ${((1000 * cpuMs) / total).toFixed(1)} CPU µs each\n`,
  );
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  const sum = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    process.stdout.write(`${((100 * us) / sum).toFixed(1).padStart(5)}%  ${key}\n`);
} finally {
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(base));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
}
process.exit(0);
