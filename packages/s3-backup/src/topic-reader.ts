import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { BatchQueue, batchBytes } from './batch-queue.js';
import { BackupAbortedError, BackupKafkaUnavailableError, BackupTopicMissingError } from './errors.js';

/** One partition's range: records in [start, end) are read. */
export interface PartitionRange {
  partition: number;
  start: bigint;
  end: bigint;
}

/**
 * Captures every partition's log start and end now: the snapshot a backup or a state read covers. The end is
 * the last stable offset (kafkajs' admin lists offsets read-committed; the open-transaction test pins this), so
 * a snapshot never ends inside an undecided transaction and never waits for one.
 */
export async function captureOffsets(admin: Admin, topic: string): Promise<PartitionRange[]> {
  const topics = await admin.listTopics().catch((error: unknown) => {
    throw new BackupKafkaUnavailableError(`listing topics failed: ${String(error)}`, { cause: error });
  });
  if (!topics.includes(topic)) throw new BackupTopicMissingError(`topic ${topic} does not exist`);
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

export interface ReadOptions {
  /**
   * Called for each fetched batch with the messages below the captured end, in offset order, one call after
   * another (the next starts once the last one's promise settled). A rejection fails the read.
   */
  onBatch: (partition: number, messages: KafkaMessage[]) => Promise<void> | void;
  /**
   * Bytes (keys and values) of fetched batches that may wait for `onBatch` while the next fetch is in flight.
   * Default: one full fetch response (`maxBytesPerPartition` × partitions, up to 8). 0 = fetch only once the
   * last batch was handled.
   */
  queueBytes?: number;
  signal?: AbortSignal | undefined;
  /** Per-partition fetch size; default 4 MiB. */
  maxBytesPerPartition?: number;
  /** Fail (retryably) when no partition makes progress for this long. Default 60 s. */
  stallTimeoutMs?: number;
  /** Start each partition at its range's `start` (a seek) instead of the log start. Default false. */
  seekToStart?: boolean;
  /**
   * Follow the topic with no end until this resolves with the ends to stop at (the ranges' own ends are then
   * ignored): restore's final check reads the target while the diff is produced. A rejection fails the read.
   */
  until?: Promise<PartitionRange[]>;
}

/**
 * Reads `topic` from the beginning up to exactly the captured ends with a throw-away consumer group that never
 * commits. A partition is done once a batch (including one of only control records or compacted-away offsets,
 * seen through END_BATCH_PROCESS) reaches its end, so transactional topics finish too.
 */
export async function readToOffsets(
  kafka: Kafka,
  topic: string,
  ranges: PartitionRange[],
  opts: ReadOptions,
): Promise<void> {
  const following = opts.until !== undefined;
  const ends = new Map(
    following
      ? ranges.map((r) => [r.partition, UNBOUNDED])
      : ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r.end]),
  );
  const starts = new Map(ranges.map((r) => [r.partition, opts.seekToStart ? r.start : 0n]));
  if (ends.size === 0) return;
  // Where each partition's fetched batches have reached (one past their last offset).
  const seen = new Map<number, bigint>();
  const bytes = opts.maxBytesPerPartition ?? 4 * 1024 * 1024;
  // One fetch response at most: every partition's share, for up to 8 partitions at once.
  const fetchBytes = bytes * Math.min(ends.size, 8);
  const consumer = kafka.consumer({
    groupId: `labeldocs-backup-reader-${randomUUID()}`,
    maxBytesPerPartition: bytes,
    maxBytes: fetchBytes,
    allowAutoTopicCreation: false,
    // A fetch that finds no new records long-polls (kafkajs' default: 5 s), and disconnecting waits for it. A
    // follower caught up with the producer fetches like that, and restore's final check ends with that
    // disconnect: 20 ms instead of 100 took ~80 ms off every restore (check phase 110 -> 30 ms). A bounded read
    // whose batches are queued (see BatchQueue) has its next fetch in flight when the last batch reaches the
    // end: a 1M-record backup waited 5 s in that disconnect. While records are there, a fetch returns at once.
    maxWaitTimeInMs: 20,
  });
  const pending = new Set(ends.keys());
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Marked handled now: a failure before `await done` (e.g. an abort while connecting) is still thrown there.
  done.catch(() => undefined);
  let failed = false;
  const fail = (error: unknown) => {
    failed = true;
    settle(error);
  };
  const queue = new BatchQueue<{ partition: number; messages: KafkaMessage[] }>(
    opts.queueBytes ?? fetchBytes,
    ({ partition, messages }) => opts.onBatch(partition, messages),
    (error) => fail(error),
  );
  const reached = (partition: number, lastOffset: string | null | undefined) => {
    const end = ends.get(partition);
    if (end === undefined || lastOffset === null || lastOffset === undefined) return;
    const next = BigInt(lastOffset) + 1n;
    if (next > (seen.get(partition) ?? 0n)) seen.set(partition, next);
    if (next >= end && pending.delete(partition)) {
      // Only saves fetches (batches of done partitions are dropped); a consumer not running yet cannot pause.
      try {
        consumer.pause([{ topic, partitions: [partition] }]);
      } catch {}
      if (pending.size === 0) settle();
    }
  };
  const onAbort = () => fail(new BackupAbortedError(`reading ${topic} was aborted`));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Safety net: retention or deleteRecords may remove records below a captured end while we read, and then no
  // batch ever reaches it. Such partitions are done (their records are gone); anything else stalled fails.
  let lastProgress = Date.now();
  const stallMs = opts.stallTimeoutMs ?? 60_000;
  let endsKnown = !following;
  opts.until?.then(
    (final) => {
      const byPartition = new Map(final.map((r) => [r.partition, r.end]));
      for (const p of [...pending]) {
        const end = byPartition.get(p) ?? 0n;
        ends.set(p, end);
        // Done already when nothing was appended, or the batches read so far reach the end.
        if (end <= (starts.get(p) ?? 0n)) pending.delete(p);
        else reached(p, String((seen.get(p) ?? 0n) - 1n));
      }
      lastProgress = Date.now();
      endsKnown = true;
      if (pending.size === 0) settle();
    },
    (error: unknown) => fail(error),
  );
  const watchdog = setInterval(async () => {
    // While following, a partition nobody writes to makes no progress, and that is fine.
    if (!endsKnown || Date.now() - lastProgress < Math.min(5000, stallMs)) return;
    const admin = kafka.admin();
    try {
      await admin.connect();
      for (const o of await admin.fetchTopicOffsets(topic))
        if (BigInt(o.low) >= (ends.get(o.partition) ?? 0n)) reached(o.partition, String(BigInt(o.low) - 1n));
    } catch {
      // the stall check below decides
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (pending.size > 0 && Date.now() - lastProgress >= stallMs)
      fail(
        new BackupKafkaUnavailableError(
          `reading ${topic} made no progress for ${stallMs} ms (partitions ${[...pending].join(', ')})`,
        ),
      );
  }, 1000);
  watchdog.unref();
  const offEndBatch = consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    lastProgress = Date.now();
    reached(e.payload.partition, e.payload.lastOffset);
  });
  const offCrash = consumer.on(consumer.events.CRASH, (e) =>
    fail(
      new BackupKafkaUnavailableError(`consumer of ${topic} crashed: ${String(e.payload.error)}`, {
        cause: e.payload.error,
      }),
    ),
  );
  try {
    if (opts.signal?.aborted) throw new BackupAbortedError(`reading ${topic} was aborted`);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (failed || !pending.has(batch.partition)) return;
        const end = ends.get(batch.partition)!;
        const start = starts.get(batch.partition) ?? 0n;
        // Most batches lie wholly inside the range: no offset of theirs needs a look.
        const all = batch.messages;
        const inside =
          all.length > 0 && BigInt(all[0]!.offset) >= start && BigInt(all[all.length - 1]!.offset) < end;
        const messages = inside
          ? all
          : all.filter((m) => {
              const o = BigInt(m.offset);
              return o < end && o >= start;
            });
        if (messages.length > 0)
          await queue.push({ partition: batch.partition, messages }, batchBytes(messages));
      },
    });
    // A fetch from the log start may arrive before the seek takes effect; the filter above drops it.
    if (opts.seekToStart)
      for (const [partition, start] of starts)
        if (ends.has(partition)) consumer.seek({ topic, partition, offset: start.toString() });
    await done;
    // Every partition reached its end; what was fetched may still wait for the handler.
    await queue.drain();
  } finally {
    // After a failure: the batches still queued are dropped, the one being handled finishes first.
    queue.stop();
    await queue.drain().catch(() => undefined);
    clearInterval(watchdog);
    opts.signal?.removeEventListener('abort', onAbort);
    offEndBatch();
    offCrash();
    await consumer.disconnect().catch(() => undefined);
  }
}

/** The end of a range still open (a followed topic's end before it is known). */
const UNBOUNDED = 2n ** 63n;
