import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { BootstrapFailedError } from './errors.js';
import { type Positions, partitionRanges, setPosition } from './positions.js';

export interface ReadToEndOptions {
  topics: readonly string[];
  /** Prefix of the throw-away consumer group used for the read. */
  groupPrefix: string;
  onRecord: (topic: string, partition: number, message: KafkaMessage) => void;
  /** Gives up after this long (default 120 s). */
  timeoutMs?: number;
}

/**
 * Reads `topics` read_committed from the beginning up to the end captured when the call starts, and returns
 * those ends: the positions the returned state corresponds to. Records at or after the captured end are not
 * passed on (the stream that follows reads them).
 */
export async function readToEnd(kafka: Kafka, options: ReadToEndOptions): Promise<Positions> {
  const admin = kafka.admin();
  await admin.connect();
  let ranges: Awaited<ReturnType<typeof partitionRanges>>;
  try {
    ranges = await partitionRanges(admin, options.topics);
  } catch (error) {
    throw new BootstrapFailedError(`could not list offsets of ${options.topics.join(', ')}`, {
      cause: error,
    });
  } finally {
    await admin.disconnect();
  }
  const ends: Positions = new Map();
  for (const r of ranges) setPosition(ends, r.topic, r.partition, BigInt(r.end));
  const pending = new Set(
    ranges.filter((r) => BigInt(r.end) > BigInt(r.low)).map((r) => `${r.topic}\u0000${r.partition}`),
  );
  if (pending.size === 0) return ends;

  const endOf = (topic: string, partition: number) => BigInt(ends.get(topic)?.get(partition) ?? '0');
  const consumer = kafka.consumer({
    groupId: `${options.groupPrefix}.bootstrap.${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    // A crash fails the read; the supervisor starts over rather than kafkajs resuming mid-read.
    retry: { restartOnFailure: async () => false },
  });
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error?: unknown) => (error === undefined ? resolve() : reject(error));
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (BigInt(payload.lastOffset) + 1n >= endOf(payload.topic, payload.partition)) {
      pending.delete(`${payload.topic}\u0000${payload.partition}`);
      if (pending.size === 0) settle();
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => settle(payload.error));
  const timer = setTimeout(
    () => settle(new BootstrapFailedError(`reading ${options.topics.join(', ')} to the end timed out`)),
    options.timeoutMs ?? 120_000,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = endOf(batch.topic, batch.partition);
        for (const message of batch.messages) {
          if (BigInt(message.offset) < end) options.onRecord(batch.topic, batch.partition, message);
        }
      },
    });
    await done;
  } catch (error) {
    throw error instanceof BootstrapFailedError
      ? error
      : new BootstrapFailedError(`reading ${options.topics.join(', ')} failed`, { cause: error });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return ends;
}
