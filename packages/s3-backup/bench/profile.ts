// Profiling helper (not the benchmark): `node [--cpu-prof] bench/profile.ts setup <n>` fills a topic and prints
// its name; `backup <topic> <bucket>` and `restore <topic> <bucket> <backupId>` run one step each, so
// `node --cpu-prof` profiles only that step.
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
} else if (mode === 'backup') {
  const m = await backupTopic({ kafka, topic: a!, s3: s3(b!) });
  process.stdout.write(`${m.backupId}\n`);
} else if (mode === 'restore') {
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
  process.stderr.write(`${JSON.stringify(r.ms)}\n`);
}
clearInterval(sampler);
process.stderr.write(
  `${mode}: ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${(peak / 1e6).toFixed(0)} MB\n`,
);
await admin.disconnect();
