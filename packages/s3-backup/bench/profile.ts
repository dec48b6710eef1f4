// Profiling helper (not the benchmark): `node [--cpu-prof] bench/profile.ts setup <n>` fills a topic and prints
// its name; `backup <topic> <bucket>` and `restore <topic> <bucket> <backupId>` run one step each, so
// `node --cpu-prof` profiles only that step. A/B comparisons, warm in one process (steadier than separate runs on
// the shared machine): `backups <topic> <bucket> [n]` alternates the backup's state on a worker thread and on the
// main thread; `BATCHES=250,500 ... restores <topic> <bucket> [n]` alternates restore batch sizes;
// `raw-restore <topic> <bucket> <backupId>` runs raw produce of 1M records and then the restore in one process.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { backupTopic, restoreBackup } from '@labeldocs/s3-backup';
import { Kafka, logLevel } from 'kafkajs';
import { benchMessages } from './records.ts';

const env = process.env;
const kafka = new Kafka({
  clientId: 'bench-profile',
  brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  logLevel: logLevel.NOTHING,
});
const s3 = (bucket: string) => ({
  endpoint: env.S3_PRIMARY_ENDPOINT ?? 'http://127.0.0.1:19000',
  accessKeyId: env.S3_PRIMARY_ACCESS_KEY_ID ?? 'labeldocs-primary',
  secretAccessKey: env.S3_PRIMARY_SECRET_ACCESS_KEY ?? 'local-primary-secret',
  bucket,
});
const [mode, a, b, c] = process.argv.slice(2);
const admin = kafka.admin();
await admin.connect();
const topicOf = async (name: string) =>
  admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: name, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ],
  });
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 50);
const t0 = performance.now();
if (mode === 'setup') {
  const n = Number(a);
  const topic = `prof-src-${Date.now()}`;
  const bucket = `prof-${Date.now()}`;
  await topicOf(topic);
  const client = new S3Client({
    endpoint: s3(bucket).endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: s3(bucket).accessKeyId, secretAccessKey: s3(bucket).secretAccessKey },
    forcePathStyle: true,
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < n; i += 5000) {
    const messages = benchMessages(i, Math.min(n, i + 5000));
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  process.stdout.write(`${topic} ${bucket}\n`);
} else if (mode === 'raw') {
  // The restore baseline: raw kafkajs produce of `a` records, as bench/run.ts does it.
  const target = `prof-raw-${Date.now()}`;
  await topicOf(target);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const n = Number(a);
  for (let i = 0; i < n; i += 2000) {
    const messages = benchMessages(i, Math.min(n, i + 2000));
    await producer.send({ topic: target, acks: -1, messages });
  }
  await producer.disconnect();
} else if (mode === 'backups') {
  // Alternates the state on a worker thread (stateWorkerRecords 0) and on this thread, warm, in one process.
  for (let i = 0; i < Number(c ?? 8); i++) {
    const w = i % 2 === 0 ? 0 : Number.POSITIVE_INFINITY;
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    await backupTopic({ kafka, topic: a!, s3: s3(b!), stateWorkerRecords: w });
    process.stderr.write(`stateWorkerRecords=${w}: ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
  }
} else if (mode === 'restores') {
  // Alternates restore options (BATCHES, e.g. "250,500,1000"), warm, in one process, each into a new topic.
  const m = await backupTopic({ kafka, topic: a!, s3: s3(b!) });
  const sizes = (env.BATCHES ?? '500').split(',').map(Number);
  for (let i = 0; i < Number(c ?? 6); i++) {
    const batchSize = sizes[i % sizes.length]!;
    const target = `prof-dst-${Date.now()}`;
    await topicOf(target);
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    const r = await restoreBackup({
      kafka,
      topic: a!,
      backupId: m.backupId,
      targetTopic: target,
      s3: s3(b!),
      batchSize,
    });
    process.stderr.write(
      `batchSize=${batchSize}: ${((performance.now() - t) / 1000).toFixed(2)} s ${JSON.stringify(r.ms)}\n`,
    );
    await admin.deleteTopics({ topics: [target] });
  }
} else if (mode === 'backup') {
  const m = await backupTopic({
    kafka,
    topic: a!,
    s3: s3(b!),
    ...(env.STATE_WORKER ? { stateWorkerRecords: Number(env.STATE_WORKER) } : {}),
  });
  process.stdout.write(`${m.backupId}\n`);
} else if (mode === 'restore' || mode === 'raw-restore') {
  if (mode === 'raw-restore') {
    const t = `prof-raw-${Date.now()}`;
    await topicOf(t);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t1 = performance.now();
    for (let i = 0; i < 1_000_000; i += 2000)
      await producer.send({ topic: t, acks: -1, messages: benchMessages(i, Math.min(1_000_000, i + 2000)) });
    await producer.disconnect();
    process.stderr.write(`raw ${((performance.now() - t1) / 1000).toFixed(2)} s\n`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  const t2 = performance.now();
  const cpu0 = process.cpuUsage();
  const target = `prof-dst-${Date.now()}`;
  await topicOf(target);
  const r = await restoreBackup({
    kafka,
    topic: a!,
    backupId: c!,
    targetTopic: target,
    s3: s3(b!),
    ...(env.BATCH ? { batchSize: Number(env.BATCH) } : {}),
  });
  process.stderr.write(
    `${JSON.stringify(r.ms)} restore ${((performance.now() - t2) / 1000).toFixed(2)} s, cpu ${(process.cpuUsage(cpu0).user / 1e6).toFixed(2)} s user\n`,
  );
}
clearInterval(sampler);
process.stderr.write(
  `${mode}: ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${(peak / 1e6).toFixed(0)} MB\n`,
);
await admin.disconnect();
