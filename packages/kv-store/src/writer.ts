import { keyPartition } from '@labeldocs/schemas';
import type {
  Admin,
  Consumer,
  EachBatchPayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  RecordMetadata,
  Transaction,
} from 'kafkajs';
import { type LocalHost, LocalWriter } from './local-writer.js';
import type { ResolvedOptions } from './options.js';
import type { OwnWrites } from './own-writes.js';
import { PartitionLanes } from './partition-lanes.js';
import { chunkBytes, chunks, type Plan, planBatch, stateTopicRecords } from './plan.js';
import type { Reply } from './protocol.js';
import type { StateReader } from './state-reader.js';
import type { StateTable } from './state-table.js';
import { isFenced, TransactionFailedError } from './transaction-failure.js';
import { fenceWriter, type Owned } from './writer-fence.js';
import { ownKeyState, pruneOverlay } from './writer-overlay.js';

/** Where a writer settles the requests of its own instance as soon as their transaction committed. */
export interface RequestOutcomes {
  readonly instanceId: string;
  onApplied(requestId: string, version: number): void;
  onReply(reply: Reply): void;
}

/**
 * The single writer of each partition. Instances share the consumer group `<topic>.writers` on the commands
 * topic; the owner of command partition p decides each command against the state of partition p and, in one
 * transaction under the transactional id `<topic>.writer.<p>`, produces the accepted state record with its
 * change event, rejection replies and the command offset. See docs/kv-store.md, "Concurrency".
 */
export class PartitionWriters<T> {
  private readonly consumer: Consumer;
  private readonly owned = new Map<number, Owned<T>>();
  private readonly acquiring = new Map<number, Promise<Owned<T>>>();
  /** One write at a time per partition, fetched and local commands alike. */
  readonly lanes = new PartitionLanes();
  private readonly local: LocalWriter<T>;
  private partitions = 0;
  private closing = false;
  lastFetchAt = 0;
  /**
   * Set by the store: told when this instance becomes a partition's writer (fenced and caught up) and when it
   * stops being it, so its state reader stops and resumes fetching that partition (quiet-partitions.ts).
   */
  ownership: { own(partition: number): void; disown(partition: number): void } = {
    own: () => undefined,
    disown: () => undefined,
  };

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: ResolvedOptions<T>,
    private readonly table: StateTable<T>,
    private readonly reader: StateReader<T>,
    private readonly outcomes: RequestOutcomes,
    private readonly ownWrites: OwnWrites<T>,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.writerGroup,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: 200,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    this.local = new LocalWriter(this.localHost(), options);
    this.consumer.on(this.consumer.events.FETCH, () => {
      this.lastFetchAt = Date.now();
    });
    // Ownership lasts one group generation: after any rebalance every partition is fenced and caught up
    // again, even one we get back, because another instance may have owned it in between.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      for (const partition of [...this.owned.keys()]) void this.release(partition);
    });
  }

  get ownedPartitions(): number {
    return this.owned.size;
  }

  /** When the newest request the broker accepted under one of our writer epochs was started: broker contact. */
  get lastConfirmedAt(): number {
    let last = 0;
    for (const owned of this.owned.values()) last = Math.max(last, owned.confirmedAt);
    return last;
  }

  async start(partitions: number): Promise<void> {
    this.partitions = partitions;
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.commandsTopic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitions,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.consumer.disconnect().catch(() => undefined);
    await Promise.all([...this.owned.keys()].map((p) => this.release(p)));
  }

  /** The partition of the commands (and state) topic a key maps to. */
  partitionOf(key: string): number {
    return keyPartition(key, this.partitions);
  }

  /** Commands decided through the owner-local fast path (written). */
  get localWrites(): number {
    return this.local.written;
  }

  /**
   * Owner-local fast path: when this instance is the writer of the key's partition, the command is queued for
   * that partition's writer directly (decided in order with the commands fetched from the topic), skipping the
   * command produce and the fetch wake-up. Returns false when it must go through the commands topic.
   */
  submit(key: string, value: Buffer | null, headers: IHeaders, reroute: () => void): boolean {
    if (this.closing || this.partitions === 0) return false;
    const partition = this.partitionOf(key);
    if (!this.owned.has(partition)) return false;
    this.local.submit(partition, key, value, headers, reroute);
    return true;
  }

  private localHost(): LocalHost<T> {
    return {
      lanes: this.lanes,
      isClosing: () => this.closing,
      owner: (partition) => this.owned.get(partition),
      plan: (owned, partition, commands, timestamp) => this.plan(owned, partition, commands, timestamp),
      commitInTransaction: (owned, partition, commands) => this.commit(owned, partition, commands, false),
      deliver: (owned, partition, plan, base, replies, timestamp) =>
        this.deliver(owned, partition, plan, base, replies, timestamp),
      release: (partition, owned) => this.release(partition, owned, false),
    };
  }

  private acquire(partition: number, heartbeat: () => Promise<void>): Promise<Owned<T>> {
    const have = this.owned.get(partition);
    if (have) return Promise.resolve(have);
    let pending = this.acquiring.get(partition);
    if (!pending) {
      pending = this.fence(partition, heartbeat).finally(() => this.acquiring.delete(partition));
      this.acquiring.set(partition, pending);
    }
    return pending;
  }

  private async fence(partition: number, heartbeat: () => Promise<void>): Promise<Owned<T>> {
    const owned = await fenceWriter(this.kafka, this.admin, this.options, this.reader, partition, heartbeat);
    this.owned.set(partition, owned);
    this.ownership.own(partition);
    return owned;
  }

  /**
   * Stops deciding for a partition. Unless called from inside its own transaction, lets the transaction in
   * flight finish first (bounded), so a rebalance does not turn a commit in progress into an unknown outcome.
   */
  private async release(partition: number, only?: Owned<T>, drain = true): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned || (only !== undefined && owned !== only)) return;
    this.owned.delete(partition);
    this.ownership.disown(partition);
    if (drain) await this.lanes.settle(partition, 5_000);
    await owned.producer.disconnect().catch(() => undefined);
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const partition = batch.partition;
    if (batch.messages.length === 0 || this.closing) return;
    let owned: Owned<T>;
    try {
      owned = await this.acquire(partition, heartbeat);
    } catch (error) {
      this.options.logger.warn({ partition, error }, 'kv-store: could not become writer; will retry');
      throw error;
    }
    const fresh = batch.messages.filter(
      (m) => Number(m.offset) >= owned.next && Number(m.timestamp) >= owned.skipBefore,
    );
    if (fresh.length === 0) resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    for (const chunk of chunks(fresh, chunkBytes(this.options))) {
      if (!isRunning() || isStale()) return;
      await this.lanes.serial(partition, async () => {
        // A failed local transaction released the partition while this batch waited: fetch it again.
        if (this.owned.get(partition) !== owned) throw new Error('kv-store: partition was released');
        await this.commit(owned, partition, chunk, true);
      });
      resolveOffset(chunk[chunk.length - 1]!.offset);
      await heartbeat();
    }
  }

  /**
   * Decides one chunk of commands and commits its outputs in one transaction, with the command offset when the
   * commands came from the topic. Then applies the accepted records to the table and settles this instance's
   * requests at once (docs/kv-store.md, "Concurrency" 6).
   */
  private async commit(
    owned: Owned<T>,
    partition: number,
    commands: KafkaMessage[],
    fromTopic: boolean,
  ): Promise<void> {
    const startedAt = Date.now();
    const plan = this.plan(owned, partition, commands, startedAt);
    let txn: Transaction | undefined;
    let committing = false;
    let metadata: RecordMetadata[] = [];
    try {
      txn = await owned.producer.transaction();
      const topicMessages = [
        { topic: this.options.topic, messages: stateTopicRecords(plan) },
        { topic: this.options.repliesTopic, messages: plan.replies },
      ];
      const nonEmpty = topicMessages.filter((t) => t.messages.length > 0);
      if (nonEmpty.length > 0) metadata = await txn.sendBatch({ acks: -1, topicMessages: nonEmpty });
      const nextOffset = Number(commands[commands.length - 1]!.offset) + 1;
      if (fromTopic) {
        await txn.sendOffsets({
          consumerGroupId: this.options.writerGroup,
          topics: [
            { topic: this.options.commandsTopic, partitions: [{ partition, offset: String(nextOffset) }] },
          ],
        });
      }
      committing = true;
      await txn.commit();
      owned.confirmedAt = startedAt;
      if (fromTopic) owned.next = nextOffset;
    } catch (error) {
      await txn?.abort().catch(() => undefined);
      // Fenced or broker trouble: give the partition up; the next batch re-fences and re-reads from the log.
      await this.release(partition, owned, false);
      this.options.logger.warn(
        { partition, error, fromTopic },
        'kv-store: writer transaction failed; partition released',
      );
      throw new TransactionFailedError(committing && !isFenced(error) ? 'unknown' : 'no', { cause: error });
    }
    const base = metadata.find(
      (m) => m.topicName === this.options.topic && m.partition === partition,
    )?.baseOffset;
    this.deliver(owned, partition, plan, base === undefined ? undefined : Number(base), true, startedAt);
  }

  /** Decides commands in order against the log plus what this writer decided after it. */
  private plan(owned: Owned<T>, partition: number, commands: KafkaMessage[], timestamp: number): Plan<T> {
    pruneOverlay(this.table, owned);
    return planBatch(
      commands,
      partition,
      (key) => ownKeyState(this.table, owned, key),
      this.options,
      timestamp,
    );
  }

  /**
   * After a write: our records into our table now (the reader skips exactly those offsets), then settle. `base`
   * is where the state records start in the partition (undefined: unknown); `replies` whether the rejection
   * replies were written.
   */
  private deliver(
    owned: Owned<T>,
    partition: number,
    plan: Plan<T>,
    base: number | undefined,
    replies: boolean,
    timestamp: number,
  ): void {
    // The overlay only bridges the time until the table holds our records. Applied here, they need none: the
    // table then follows the log alone, so a record from outside the writer (a restore) that takes a key back
    // to an older version is what the next command is decided against, as every reader shows it.
    for (const [key, state] of plan.staged) {
      if (base === undefined) owned.overlay.set(key, state);
      else owned.overlay.delete(key);
    }
    // Without the base offset the reader applies them and settles the requests, as on any other instance (on
    // a partition it does not fetch, once the periodic end-offset check finds them: quiet-partitions.ts).
    if (plan.applied.length > 0 && base !== undefined) {
      // stateTopicRecords(plan): one record batch written to T/p from `base` on, state records then events.
      const next = base + plan.state.length + plan.changelog.length;
      const passed = this.ownWrites.passOver(partition, base, next);
      this.ownWrites.apply(partition, base, plan.applied, timestamp, passed);
      this.ownWrites.applyEvents(partition, base + plan.state.length, plan.changelog, timestamp, passed);
      for (const record of plan.applied) this.outcomes.onApplied(record.requestId, record.version);
    }
    if (!replies) return;
    for (const reply of plan.replyBodies) {
      if (reply.replyTo === this.outcomes.instanceId) this.outcomes.onReply(reply);
    }
  }
}
