import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { counterValue, createBenchWorker } from './worker.ts';

/**
 * One consumer process of the scale-out rows: `raw` (kafkajs + JSON.parse) or `ingest` (the worker), in a
 * shared consumer group. Prints `{"count":n,"cpuMs":m}` lines; the parent adds them up.
 */
const [mode, topic, group, tracked] = process.argv.slice(2);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
let count = 0;
let labels = 0;
const report = () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ count, labels, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
};

if (mode === 'raw') {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: group!,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topic!, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      // The same work as the single-process raw row: decode the JSON, count its labels.
      for (const message of batch.messages) {
        const value = JSON.parse(message.value!.toString('utf8')) as { labels: object };
        labels += Object.keys(value.labels).length;
        count++;
      }
    },
  });
} else {
  const worker = createBenchWorker({
    brokers,
    source: topic!,
    prefix: topic!,
    tracked: tracked!,
    group: group!,
    logger: pino({ level: 'warn' }, pino.destination(2)),
  });
  await worker.start();
  setInterval(async () => {
    count = await counterValue(worker.metrics.impressions);
  }, 50);
}
setInterval(report, 100);
process.on('SIGTERM', () => process.exit(0));
