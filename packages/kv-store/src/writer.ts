import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer, Transaction } from 'kafkajs';
import type { ResolvedOptions } from './options.js';
import { chunks, type OwnState, planBatch } from './plan.js';
import type { StateReader } from './state-reader.js';
import type { StateTable } from './state-table.js';

/** A partition this instance decides, with what it decided but has not yet read back from the state topic. */
interface Owned<T> {
  producer: Producer;
  /** First command offset not yet decided; authoritative because our transactional id fenced every other writer. */
  next: number;
  /** Commands with an older timestamp are skipped (only set when the group had no committed offset). */
  skipBefore: number;
  overlay: Map<string, OwnState<T>>;
}

/**
 * The single writer of each partition. Instances share the consumer group `<topic>.writers` on the commands
 * topic; the owner of command partition p decides each command against the state of partition p and, in one
 * transaction under the transactional id `<topic>.writer.<p>`, produces the accepted state record, the
 * changelog event, rejection replies and the command offset. See docs/kv-store.md, "Concurrency".
 */
export class PartitionWriters<T> {
  private readonly consumer: Consumer;
  private readonly owned = new Map<number, Owned<T>>();
  private readonly acquiring = new Map<number, Promise<Owned<T>>>();
  private closing = false;
  lastFetchAt = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: ResolvedOptions<T>,
    private readonly table: StateTable<T>,
    private readonly reader: StateReader<T>,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.writerGroup,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: 200,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
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

  async start(partitions: number): Promise<void> {
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

  /** Become the one writer of a partition: fence older writers, read all they wrote, then find where they stopped. */
  private async fence(partition: number, heartbeat: () => Promise<void>): Promise<Owned<T>> {
    const { topic, commandsTopic, writerGroup } = this.options;
    const producer = this.kafka.producer({
      transactionalId: `${topic}.writer.${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
      retry: { retries: 5, maxRetryTime: 5_000 },
    });
    try {
      await producer.connect();
      // InitProducerId bumps the epoch: a zombie's open transaction is aborted and its later commits fail.
      const init = await producer.transaction();
      await init.abort();
      const ends = await this.admin.fetchTopicOffsets(topic);
      const end = Number(ends.find((o) => o.partition === partition)?.high ?? 0);
      // Catching up can take a while after a long outage; keep our group membership alive meanwhile.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 1_000);
      await this.reader.waitFor(partition, end).finally(() => clearInterval(beat));
      const committed = await this.admin.fetchOffsets({ groupId: writerGroup, topics: [commandsTopic] });
      const offset = Number(committed[0]?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
      // No committed offset: a new deployment, or the group's offsets expired after a long full outage. Every
      // requester of a command older than the horizon has long been told KV_TIMEOUT; replaying such commands
      // against newer state would silently undo later writes, so they are skipped.
      const skipBefore = offset < 0 ? Date.now() - Math.max(2 * this.options.writeTimeoutMs, 60_000) : 0;
      const owned: Owned<T> = { producer, next: Math.max(0, offset), skipBefore, overlay: new Map() };
      this.owned.set(partition, owned);
      this.options.logger.info(
        { topic, partition, next: owned.next },
        'kv-store: became writer of partition',
      );
      return owned;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async release(partition: number): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned) return;
    this.owned.delete(partition);
    await owned.producer.disconnect().catch(() => undefined);
  }

  /** Forget decisions the log has caught up with, so the overlay holds only writes still in flight. */
  private prune(owned: Owned<T>): void {
    for (const [key, mine] of owned.overlay) {
      if (this.table.keyState(key).lastVersion >= mine.lastVersion) owned.overlay.delete(key);
    }
  }

  private keyState(owned: Owned<T>, key: string): OwnState<T> {
    const fromLog = { ...this.table.keyState(key), value: this.table.map.get(key)?.value };
    const mine = owned.overlay.get(key);
    // The overlay is only ever ahead of the log; once the log caught up, drop it.
    if (mine === undefined || fromLog.lastVersion >= mine.lastVersion) {
      if (mine !== undefined) owned.overlay.delete(key);
      return fromLog;
    }
    return mine;
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
    for (const chunk of chunks(fresh)) {
      if (!isRunning() || isStale()) return;
      await this.commit(owned, partition, chunk);
      resolveOffset(chunk[chunk.length - 1]!.offset);
      await heartbeat();
    }
  }

  /** Decides one chunk of commands and commits its outputs and its command offset in one transaction. */
  private async commit(owned: Owned<T>, partition: number, commands: KafkaMessage[]): Promise<void> {
    this.prune(owned);
    const plan = planBatch(commands, partition, (key) => this.keyState(owned, key), this.options, Date.now());
    let txn: Transaction | undefined;
    try {
      txn = await owned.producer.transaction();
      const topicMessages = [
        { topic: this.options.topic, messages: plan.state },
        { topic: this.options.repliesTopic, messages: plan.replies },
      ];
      if (this.options.changelog)
        topicMessages.push({ topic: this.options.changelog.topic, messages: plan.changelog });
      const nonEmpty = topicMessages.filter((t) => t.messages.length > 0);
      if (nonEmpty.length > 0) await txn.sendBatch({ acks: -1, topicMessages: nonEmpty });
      const nextOffset = Number(commands[commands.length - 1]!.offset) + 1;
      await txn.sendOffsets({
        consumerGroupId: this.options.writerGroup,
        topics: [
          { topic: this.options.commandsTopic, partitions: [{ partition, offset: String(nextOffset) }] },
        ],
      });
      await txn.commit();
      owned.next = nextOffset;
      for (const [key, state] of plan.staged) owned.overlay.set(key, state);
    } catch (error) {
      await txn?.abort().catch(() => undefined);
      // Fenced or broker trouble: give the partition up; the next batch re-fences and re-reads from the log.
      await this.release(partition);
      this.options.logger.warn(
        { partition, error },
        'kv-store: writer transaction failed; partition released',
      );
      throw error;
    }
  }
}
