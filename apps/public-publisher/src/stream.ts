import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { type Positions, positionOf, setPosition } from './positions.js';

export interface StreamBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** The offset after this batch: what to commit once it is published. */
  next: bigint;
}

export interface StreamOptions {
  topics: readonly string[];
  groupPrefix: string;
  /** Where to start per partition (the ends the bootstrap read up to). */
  from: Positions;
  onBatch: (batch: StreamBatch) => Promise<void>;
  onCrash: (error: unknown) => void;
}

/**
 * Follows the source topics read_committed from the bootstrap's positions. It joins a throw-away consumer
 * group and seeks, instead of resuming from the publisher's committed group offsets: those are committed by
 * transactions whose markers may still be in flight, so they could be stale right after a restart. The
 * group offsets stay the publisher's durable progress record (and what lag tooling shows).
 */
export async function startStream(kafka: Kafka, options: StreamOptions): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: `${options.groupPrefix}.stream.${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 1_000,
    // A crashed stream is rebuilt by the supervisor from Kafka, never resumed by kafkajs with stale state.
    retry: { restartOnFailure: async () => false },
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => options.onCrash(payload.error));
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      // Guards the first fetch, which may run before the seek below applies.
      const from = positionOf(options.from, batch.topic, batch.partition);
      const messages = batch.messages.filter((m) => BigInt(m.offset) >= from);
      if (messages.length === 0) return;
      await options.onBatch({
        topic: batch.topic,
        partition: batch.partition,
        messages,
        next: BigInt(batch.lastOffset()) + 1n,
      });
      // A redelivery (the seek landing after this batch) is then skipped, not applied twice.
      setPosition(options.from, batch.topic, batch.partition, BigInt(batch.lastOffset()) + 1n);
    },
  });
  for (const [topic, byPartition] of options.from) {
    for (const [partition, offset] of byPartition) consumer.seek({ topic, partition, offset });
  }
  return consumer;
}
