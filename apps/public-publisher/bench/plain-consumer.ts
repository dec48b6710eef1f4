import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** A plain read_committed consumer; `arrivals` maps a marker to the moment its record was consumed. */
export async function plainConsumer(
  kafka: Kafka,
  groupPrefix: string,
  topic: string,
  marker: (value: Buffer | null) => string | undefined,
) {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const consumer = kafka.consumer({
    groupId: `${groupPrefix}.reader.${randomUUID()}`,
    maxWaitTimeInMs: 1_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const now = performance.now();
      const m = marker(message.value);
      if (m === undefined) return;
      arrivals.set(m, now);
      waiters.get(m)?.();
    },
  });
  await joined;
  const arrival = (m: string) =>
    arrivals.has(m)
      ? Promise.resolve(arrivals.get(m)!)
      : new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${m} never arrived on ${topic}`)), 30_000);
          waiters.set(m, () => {
            clearTimeout(timer);
            waiters.delete(m);
            resolve(arrivals.get(m)!);
          });
        });
  return { consumer, arrival };
}
