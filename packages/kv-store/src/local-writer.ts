import type { IHeaders, KafkaMessage, Message, RecordMetadata } from 'kafkajs';
import type { ResolvedOptions } from './options.js';
import type { PartitionLanes } from './partition-lanes.js';
import { chunkBytes, chunks, type Plan, stateTopicRecords } from './plan.js';
import { H, header } from './protocol.js';
import { isFenced, TransactionFailedError } from './transaction-failure.js';
import type { Owned } from './writer-fence.js';

/**
 * A write outside a transaction is sent only while the writer's epoch was confirmed by the broker this recently:
 * far below the broker's `producer.id.expiration.ms` (default 1 day), after which a partition forgets a
 * producer's epoch and would accept a zombie's batch again. Older, the write goes in a transaction, which the
 * transaction coordinator fences whatever the partitions remember. See docs/kv-store.md, "Concurrency" 3.
 */
export const OUTSIDE_TXN_MAX_IDLE_MS = 60 * 60 * 1000;

/** A command of this instance handed straight to the writer of its partition (owner-local fast path). */
interface LocalCommand {
  message: KafkaMessage;
  /** Sends the command through the commands topic instead; a no-op once its request is settled. */
  reroute: () => void;
}

/** What the local queue needs from the partition writers. */
export interface LocalHost<T> {
  readonly lanes: PartitionLanes;
  isClosing(): boolean;
  owner(partition: number): Owned<T> | undefined;
  plan(owned: Owned<T>, partition: number, commands: KafkaMessage[], timestamp: number): Plan<T>;
  /** Decides and commits in one transaction (fetched-command path); throws TransactionFailedError. */
  commitInTransaction(owned: Owned<T>, partition: number, commands: KafkaMessage[]): Promise<void>;
  /** Applies the records written from `base` (undefined: not written) and settles our replies if written. */
  deliver(
    owned: Owned<T>,
    partition: number,
    plan: Plan<T>,
    base: number | undefined,
    replies: boolean,
    timestamp: number,
  ): void;
  release(partition: number, owned: Owned<T>): Promise<void>;
}

/**
 * The owner-local queue: commands of this instance for partitions it writes, decided in order with the
 * fetched ones (same lane), several at a time when they queued up during the previous write (group commit).
 * They are written as one idempotent batch (state records and their change events) under the partition
 * writer's transactional producer id and epoch, outside any transaction: one Produce round trip, still fenced
 * (docs/kv-store.md, "Write path" and "Concurrency").
 */
export class LocalWriter<T> {
  private readonly queues = new Map<number, LocalCommand[]>();
  private readonly scheduled = new Set<number>();
  /** Commands written (accepted or rejected) through this queue. */
  written = 0;

  constructor(
    private readonly host: LocalHost<T>,
    private readonly options: ResolvedOptions<T>,
  ) {}

  submit(partition: number, key: string, value: Buffer | null, headers: IHeaders, reroute: () => void): void {
    const message = {
      key: Buffer.from(key),
      value,
      headers,
      offset: '-1',
      timestamp: String(Date.now()),
      attributes: 0,
    } as KafkaMessage;
    let queue = this.queues.get(partition);
    if (queue === undefined) {
      queue = [];
      this.queues.set(partition, queue);
    }
    queue.push({ message, reroute });
    this.schedule(partition);
  }

  private schedule(partition: number): void {
    if (this.scheduled.has(partition)) return;
    this.scheduled.add(partition);
    void this.host.lanes.serial(partition, () => this.drain(partition)).catch(() => undefined);
  }

  /** Decides every local command queued meanwhile, up to one chunk, in one write. */
  private async drain(partition: number): Promise<void> {
    this.scheduled.delete(partition);
    const queue = this.queues.get(partition) ?? [];
    const [first = []] = chunks(
      queue.map((c) => c.message),
      chunkBytes(this.options),
    );
    const taken = queue.splice(0, first.length);
    if (queue.length > 0) this.schedule(partition);
    if (taken.length === 0) return;
    const owned = this.host.owner(partition);
    if (owned === undefined || this.host.isClosing()) {
      for (const c of taken) c.reroute();
      return;
    }
    const outside = Date.now() - owned.confirmedAt < OUTSIDE_TXN_MAX_IDLE_MS;
    try {
      if (outside) await this.writeOutside(owned, partition, taken);
      else await this.host.commitInTransaction(owned, partition, first);
      this.written += taken.length;
    } catch (error) {
      // Not committed (failed before EndTxn, or fenced at it): nothing of it can ever appear, so the command
      // goes through the topic to whoever owns the partition now. Outcome unknown: re-sending could decide it
      // twice, so the request stays pending; it resolves if its record shows up in the log, else KV_TIMEOUT.
      if (error instanceof TransactionFailedError) {
        if (error.committed === 'no') for (const c of taken) c.reroute();
      } else {
        this.options.logger.error(
          { partition, error },
          'kv-store: deciding local commands failed; their requests will time out',
        );
      }
    }
  }

  /**
   * State records first, then (only once they are written) the rejection replies: a reply may have been
   * decided against a record of the same batch, so it must never exist without it. Each send is one record
   * batch per partition, written whole or not at all.
   */
  private async writeOutside(owned: Owned<T>, partition: number, taken: LocalCommand[]): Promise<void> {
    const startedAt = Date.now();
    const plan = this.host.plan(
      owned,
      partition,
      taken.map((c) => c.message),
      startedAt,
    );
    const byRequest = new Map(taken.map((c) => [header(c.message.headers, H.request), c]));
    const reroute = (ids: string[]) => {
      for (const id of ids) byRequest.get(id)?.reroute();
    };
    const rejected = plan.replyBodies.map((r) => r.requestId);
    let base: number | undefined;
    if (plan.state.length > 0) {
      try {
        const metadata = await this.send(owned, this.options.topic, stateTopicRecords(plan));
        base = Number(metadata.find((m) => m.partition === partition)?.baseOffset);
      } catch (error) {
        await this.fail(owned, partition, error);
        // Fenced: refused by the partition leader, nothing written; otherwise the outcome is unknown and
        // the accepted commands wait for their records. The replies were never sent: decide those again.
        if (isFenced(error)) reroute(plan.applied.map((r) => r.requestId));
        reroute(rejected);
        return;
      }
    }
    let replies = false;
    if (plan.replies.length > 0) {
      try {
        // The fence marked replies partition 0 only; any partition reaches the requester's consumer.
        await this.send(
          owned,
          this.options.repliesTopic,
          plan.replies.map((m) => ({ ...m, partition: 0 })),
        );
        replies = true;
      } catch (error) {
        await this.fail(owned, partition, error);
        if (isFenced(error)) reroute(rejected);
      }
    }
    owned.confirmedAt = startedAt;
    this.host.deliver(owned, partition, plan, base, replies, startedAt);
  }

  /**
   * Right after a transaction of the same producer, its markers may not be written yet: the leader then
   * refuses a batch outside a transaction with INVALID_TXN_STATE, writing nothing. Retry that briefly.
   */
  private async send(owned: Owned<T>, topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await owned.producer.sendBatchOutsideTransaction({
          acks: -1,
          topicMessages: [{ topic, messages }],
        });
      } catch (error) {
        if ((error as { type?: string }).type !== 'INVALID_TXN_STATE' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt));
      }
    }
  }

  /** Fenced (another instance owns the partition) or unknown outcome (sequence numbers uncertain): let go. */
  private async fail(owned: Owned<T>, partition: number, error: unknown): Promise<void> {
    await this.host.release(partition, owned);
    this.options.logger.warn(
      { partition, error, fenced: isFenced(error) },
      'kv-store: local write outside a transaction failed; partition released',
    );
  }
}
