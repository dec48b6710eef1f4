import { randomUUID } from 'node:crypto';
import { labelChangeEventCodec } from '@labeldocs/schemas';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { HistoryIndex } from './history-index.js';

export interface KafkaHistoryOptions {
  brokers: string[];
  topic: string;
  clientId: string;
  logger: Logger;
}

/**
 * Reads the whole change-log topic into a HistoryIndex and keeps following it. Ready once it has read up to the
 * end offsets captured at start. It commits nothing: every instance replays the log from the start.
 */
export class KafkaHistory extends HistoryIndex {
  readonly #options: KafkaHistoryOptions;
  readonly #kafka: Kafka;
  #consumer: Consumer | undefined;
  #undecodable = 0;

  constructor(options: KafkaHistoryOptions) {
    super();
    this.#options = options;
    this.#kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
    });
  }

  get undecodable(): number {
    return this.#undecodable;
  }

  async start(): Promise<void> {
    const { topic, logger } = this.#options;
    const admin = this.#kafka.admin();
    await admin.connect();
    let pending: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      pending = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
    if (pending.size === 0) this.markReady();
    // A throwaway group: this reader never commits, each start replays the full log.
    const consumer = this.#kafka.consumer({ groupId: `${this.#options.clientId}-history-${randomUUID()}` });
    this.#consumer = consumer;
    // Batch-end events also fire for batches holding only transaction markers (kv-store writes transactionally,
    // so the last offset of a partition is usually a commit marker, never seen as a message).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = pending.get(payload.partition);
      if (end === undefined || BigInt(payload.lastOffset) + 1n < end) return;
      pending.delete(payload.partition);
      if (pending.size === 0) this.markReady();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value !== null) {
          const decoded = labelChangeEventCodec.decode(message.value);
          if (decoded.ok) this.add(decoded.value);
          else {
            this.#undecodable += 1;
            logger.warn(
              { partition, offset: message.offset, errors: decoded.errors },
              'skipping bad change event',
            );
          }
        }
      },
    });
  }

  async close(): Promise<void> {
    await this.#consumer?.disconnect();
  }
}
