import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { base, compression, kafka, partitions, perImpression } from './args.ts';

/** Creates `topic` with the bench's partition count and waits for its leaders. */
export async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
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

/** Creates `topic` and writes `total` impressions to it; returns their average size in bytes. */
export async function prefill(topic: string, total: number): Promise<number> {
  await createTopic(topic);
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

/** Deletes every topic this bench run created. */
export async function cleanup(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(base));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
}
