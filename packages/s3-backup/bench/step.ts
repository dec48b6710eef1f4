// One measured step of `pnpm bench backup`, in a process of its own (bench/run.ts starts one per step and round):
// `node --expose-gc bench/step.ts <step> <json args>` prints one JSON line { seconds, peakMb, value }. Clients the
// timed parts are bench/run.ts' former in-process steps unchanged (the raw producer and consumer connect inside
// the clock, as before; the bench's admin client was connected beforehand, as here).
import { Readable } from 'node:stream';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { backupTopic, restoreBackup } from '@labeldocs/s3-backup';
import { Kafka, logLevel } from 'kafkajs';
import { benchMessages, pad } from './records.ts';

export interface StepArgs {
  n: number;
  topic: string;
  target?: string;
  bytes?: number;
  backupId?: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string };
  brokers: string[];
}

const [step, json] = process.argv.slice(2);
const args = JSON.parse(json!) as StepArgs;
const kafka = new Kafka({ clientId: 'bench-backup', brokers: args.brokers, logLevel: logLevel.NOTHING });
const client = new S3Client({
  endpoint: args.s3.endpoint,
  region: args.s3.region,
  credentials: { accessKeyId: args.s3.accessKeyId, secretAccessKey: args.s3.secretAccessKey },
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

/** Peak RSS while `fn` runs, sampled every 50 ms. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  try {
    const value = await fn();
    return {
      value,
      seconds: (performance.now() - started) / 1000,
      peakMb: Math.max(peak, process.memoryUsage.rss()) / 1e6,
    };
  } finally {
    clearInterval(timer);
  }
}

/** Raw kafkajs produce: one idempotent producer, acks=all, 2000 records per request, awaited in turn. */
async function rawProduce() {
  return measure(async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < args.n; i += 2000)
      await producer.send({
        topic: args.topic,
        acks: -1,
        messages: benchMessages(i, Math.min(args.n, i + 2000)),
      });
    await producer.disconnect();
  });
}

/** Raw kafkajs consume of the whole topic (same fetch sizes as the backup's reader); returns key+value bytes. */
async function rawConsume() {
  const admin = kafka.admin();
  await admin.connect();
  const result = await measure(async () => {
    const offsets = await admin.fetchTopicOffsets(args.topic);
    const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    const consumer = kafka.consumer({
      groupId: `bench-raw-${Date.now()}`,
      maxBytesPerPartition: 4 << 20,
      maxBytes: 12 << 20,
    });
    let seen = 0;
    let bytes = 0;
    await consumer.connect();
    await consumer.subscribe({ topic: args.topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
          seen += batch.messages.length;
          if (seen >= total) resolve();
        },
      });
    });
    await consumer.disconnect();
    return bytes;
  });
  await admin.disconnect();
  return result;
}

/** One raw S3 PUT of `bytes` bytes, streamed. */
async function rawPut() {
  const bytes = args.bytes!;
  // The in-process bench's client had created the bucket already: connect it before the clock here too.
  await client.send(new HeadBucketCommand({ Bucket: args.s3.bucket }));
  return measure(async () => {
    const chunk = Buffer.from(pad.repeat(Math.ceil((1 << 20) / pad.length)).slice(0, 1 << 20));
    let left = bytes;
    const body = Readable.from(
      (function* () {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          yield n === chunk.length ? chunk : chunk.subarray(0, n);
        }
      })(),
    );
    await client.send(
      new PutObjectCommand({ Bucket: args.s3.bucket, Key: 'raw/put.bin', Body: body, ContentLength: bytes }),
    );
  });
}

const steps: Record<string, () => Promise<{ value: unknown; seconds: number; peakMb: number }>> = {
  produce: rawProduce,
  consume: rawConsume,
  put: rawPut,
  backup: () => measure(() => backupTopic({ kafka, topic: args.topic, s3: args.s3 })),
  restore: () =>
    measure(() =>
      restoreBackup({
        kafka,
        topic: args.topic,
        targetTopic: args.target!,
        backupId: args.backupId!,
        s3: args.s3,
      }),
    ),
};
const result = await steps[step!]!();
client.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
