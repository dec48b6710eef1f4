import type { Admin, Kafka, Producer } from 'kafkajs';
import type { ResolvedOptions } from './options.js';
import type { OwnState } from './plan.js';
import type { StateReader } from './state-reader.js';
import { endOffsets } from './topics.js';

/** A partition this instance decides, with what it decided but has not yet read back from the state topic. */
export interface Owned<T> {
  producer: Producer;
  /** First command offset not yet decided; authoritative because our transactional id fenced every other writer. */
  next: number;
  /** Commands with an older timestamp are skipped (only set when the group had no committed offset). */
  skipBefore: number;
  overlay: Map<string, OwnState<T>>;
  /**
   * When the last request under this epoch that the broker accepted (the fence, a transaction, a write outside
   * a transaction) was started. Writes outside a transaction are only sent while this is recent (local-writer.ts).
   */
  confirmedAt: number;
}

/** Become the one writer of a partition: fence older writers, read all they wrote, then find where they stopped. */
export async function fenceWriter<T>(
  kafka: Kafka,
  admin: Admin,
  options: ResolvedOptions<T>,
  reader: StateReader<T>,
  partition: number,
  heartbeat: () => Promise<void>,
): Promise<Owned<T>> {
  const { topic, commandsTopic, writerGroup } = options;
  const producer = kafka.producer({
    transactionalId: `${topic}.writer.${partition}`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 30_000,
    retry: { retries: 5, maxRetryTime: 5_000 },
  });
  try {
    await producer.connect();
    const startedAt = Date.now();
    // InitProducerId bumps the epoch: a zombie's open transaction is aborted and its later commits fail.
    const init = await producer.transaction();
    await init.abort();
    await writeFenceMarkers(producer, options, partition);
    const end = (await endOffsets(admin, topic))[partition] ?? 0;
    // Catching up can take a while after a long outage; keep our group membership alive meanwhile.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1_000);
    await reader.waitFor(partition, end).finally(() => clearInterval(beat));
    const committed = await admin.fetchOffsets({ groupId: writerGroup, topics: [commandsTopic] });
    const offset = Number(committed[0]?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    // No committed offset: a new deployment, or the group's offsets expired after a long full outage. Every
    // requester of a command older than the horizon has long been told KV_TIMEOUT; replaying such commands
    // against newer state would silently undo later writes, so they are skipped.
    const skipBefore = offset < 0 ? Date.now() - Math.max(2 * options.writeTimeoutMs, 60_000) : 0;
    const owned: Owned<T> = {
      producer,
      next: Math.max(0, offset),
      skipBefore,
      overlay: new Map(),
      confirmedAt: startedAt,
    };
    options.logger.info({ topic, partition, next: owned.next }, 'kv-store: became writer of partition');
    return owned;
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
}

/**
 * A partition learns a producer's new epoch only from a batch or a transaction marker written to it, and a
 * zombie's writes outside a transaction are checked against nothing else. So before reading the end offset,
 * every partition our writes outside a transaction touch (`T`/p and the replies partition) gets an abort
 * marker of an empty transaction under the new epoch. EndTxn returns before the markers are written; the
 * next AddPartitionsToTxn is refused with CONCURRENT_TRANSACTIONS until all of them are, so a second empty
 * transaction waits for that. See docs/kv-store.md, "Concurrency" 3.
 */
export async function writeFenceMarkers(
  producer: Producer,
  options: { topic: string; repliesTopic: string },
  partition: number,
): Promise<void> {
  const touched = [
    { topic: options.topic, partitions: [partition] },
    { topic: options.repliesTopic, partitions: [0] },
  ];
  const fence = await producer.transaction();
  await fence.addPartitions(touched);
  await fence.abort();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const wait = await producer.transaction();
    try {
      await wait.addPartitions([{ topic: options.topic, partitions: [partition] }]);
      await wait.abort();
      return;
    } catch (error) {
      await wait.abort().catch(() => undefined);
      const type = (error as { type?: string }).type;
      if (type !== 'CONCURRENT_TRANSACTIONS' || Date.now() > deadline) throw error;
    }
  }
}
