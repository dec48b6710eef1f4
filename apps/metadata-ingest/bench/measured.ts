import { fmt } from '@labeldocs/bench';
import { pino } from 'pino';
import { base, brokers, consumerTuning, kafka, log, type Run, sleep, total } from './args.ts';
import { counterValue, createBenchWorker } from './worker.ts';

/** Filled by the cold-start run: how long kv-store took to store every label once. */
export const firstWriteAll: Array<{ labels: number; seconds: number; written: number }> = [];

/** Raw kafkajs: the same topic, the same JSON, nothing else. */
export async function raw(round: number, topic: string): Promise<Run> {
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

/** The metadata-ingest worker in this process, from the first impression counted until `count`. */
export async function ingest(
  name: string,
  source: string,
  count: number,
  tracked: string,
  group: string,
): Promise<Run> {
  const worker = createBenchWorker({
    brokers,
    source,
    prefix: base,
    tracked,
    group,
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
    overrides: process.env.BENCH_NO_WRITES ? { flushIntervalMs: 600_000, commitIntervalMs: 600_000 } : {},
  });
  await worker.start();
  const counted = () => counterValue(worker.metrics.impressions);
  const writesDone = () => counterValue(worker.metrics.labelWrites);
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
  const writes = await writesDone();
  // Cold start only: how long kv-store takes to store every label once (all of them are new).
  if (name.startsWith('metadata-ingest, cold')) {
    const labels = worker.aggregator.entries.size;
    for (let i = 0; i < 1_200 && (await writesDone()) < labels; i++) await sleep(100);
    firstWriteAll.push({ labels, seconds: (performance.now() - t0) / 1000, written: await writesDone() });
  }
  await worker.close();
  const atClose = (await writesDone()) - writes;
  log(
    `${name}: ${fmt(count / seconds, 0)}/s, ${writes} label writes during the run, ${atClose} at the closing commit`,
  );
  return { name, count, seconds, cpuMs: (cpu.user + cpu.system) / 1000, writes, atClose };
}
