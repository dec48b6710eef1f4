import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The live traffic of the bench's sustained row, in a process of its own (so its CPU is not the worker's):
 * `paced-producer.ts <topic> <rate per s> <seconds> <labels per impression>`. Sends every 100 ms what the
 * rate asks for, cycling a pool of generated impressions with the current timestamp, and prints
 * `{"sent":n}` lines; exits when done.
 */
const [topic = '', rateArg, secondsArg, perImpressionArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const generator = createImpressionGenerator(createDemoCatalog(), {
  labelsPerImpression: Number(perImpressionArg),
  malformedRate: 0,
});
// Label sets and values from the pool; the timestamp is patched in, so last-seen moves as in real traffic.
const pool = Array.from({ length: 20_000 }, () => JSON.stringify({ ...generator.impression(), ts: '' }));
const kafka = new Kafka({ clientId: 'bench-paced-producer', brokers, logLevel: logLevel.ERROR });
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
// Pacing starts now; the first line tells the parent so.
const started = performance.now();
let sent = 0;
let queued = 0;
const inFlight = new Set<Promise<void>>();
const report = () => process.stdout.write(`${JSON.stringify({ sent })}\n`);
report();
const timer = setInterval(report, 100);
while (performance.now() - started < seconds * 1000) {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  const ts = new Date().toISOString();
  // At most 1,200 records a send (about 300 kB per partition): a catch-up after a stall must stay below the
  // broker's batch size limit.
  while (queued < due) {
    const messages: Array<{ value: string }> = [];
    while (queued + messages.length < due && messages.length < 1_200) {
      const text = pool[(queued + messages.length) % pool.length] ?? '';
      messages.push({ value: text.replace('"ts":""', `"ts":"${ts}"`) });
    }
    queued += messages.length;
    // Several sends in flight: one at a time cannot carry 25k impressions/s of ~1.5 kB.
    const sending: Promise<void> = producer.send({ topic, acks: 1, messages }).then(() => {
      sent += messages.length;
      inFlight.delete(sending);
    });
    inFlight.add(sending);
    while (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await Promise.all(inFlight);
clearInterval(timer);
report();
await producer.disconnect();
process.exit(0);
