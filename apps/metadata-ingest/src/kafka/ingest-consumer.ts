import type { FieldError } from '@labeldocs/schemas';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Aggregator } from '../core/aggregator.js';
import { countImpression } from '../core/count-impression.js';
import { decodeAggregate } from '../core/decode.js';
import { slotKey } from '../core/state.js';
import type { IngestMetrics } from '../metrics.js';
import { type DeadLetter, sendDeadLetters } from './dead-letter.js';

const YIELD_EVERY = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface IngestConsumerOptions {
  kafka: Kafka;
  groupId: string;
  impressionsTopic: string;
  aggregatesTopic: string;
  dlqTopic: string;
  aggregator: Aggregator;
  producer: Producer;
  metrics: IngestMetrics;
  /** Before counting after a (re)join: our writes landed, and everyone's writes are in our replica. */
  beforeCounting: () => Promise<unknown>;
  sessionTimeoutMs: number;
  /** Retries kafkajs makes (backing off up to 5 s each) before it gives up on the consumer. */
  retries: number;
  /** Wait before restarting a consumer kafkajs gave up on, doubling per failed restart up to `maxMs`. */
  restartBackoff: { initialMs: number; maxMs: number };
  onRebalance?: (epoch: number) => void;
  onRestart?: (attempt: number) => void;
  onError: (error: unknown, context: string) => void;
}

export interface CapturedPositions {
  epoch: number;
  offsets: Array<{ topic: string; partition: number; offset: string }>;
}

/**
 * The consumer-group side: decodes batches into the aggregator, sends undecodable records to the DLQ,
 * tracks the consumed position per partition and commits a captured position on request (after the
 * worker flushed everything counted up to it). Offsets are never committed automatically.
 */
export class IngestConsumer {
  private consumer: Consumer;
  private readonly positions = new Map<string, { topic: string; partition: number; next: number }>();
  /** Bumped on every rebalance: positions and pending counts from before it are void. */
  private epoch = 0;
  private syncedEpoch = 0;
  joined = false;
  /** The error kafkajs gave up on, until a restarted consumer has joined the group again. */
  crashed: unknown;
  /** Restarts since the consumer last joined the group (sets the back-off). */
  private failedRestarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: IngestConsumerOptions) {
    this.consumer = this.create();
  }

  private create(): Consumer {
    const { options } = this;
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 5)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      maxWaitTimeInMs: 200,
      // A finite budget (kafkajs' retries back off up to 5 s each), and kafkajs never restarts the consumer
      // itself: every crash, retriable or not, takes one path (onCrash: a fresh consumer, with back-off).
      retry: { retries: options.retries, maxRetryTime: 5_000, restartOnFailure: async () => false },
    });
    // Events of a consumer already replaced by a restart are stale.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (consumer !== this.consumer) return;
      this.crashed = undefined;
      this.failedRestarts = 0;
      this.onRebalance();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (consumer === this.consumer && !event.payload.restart) this.onCrash(event.payload.error);
    });
    return consumer;
  }

  /**
   * kafkajs resumes every assigned partition from its committed offset after a rebalance, so everything
   * counted since the last commit will be read again: forget it (and the positions) rather than count it twice.
   */
  private onRebalance(): void {
    this.epoch++;
    this.options.onRebalance?.(this.epoch);
    this.joined = true;
    this.forgetUncommitted();
  }

  private forgetUncommitted(): void {
    this.positions.clear();
    this.options.aggregator.dropPending();
    this.options.metrics.lag.reset();
  }

  /**
   * kafkajs stopped the consumer for good (e.g. the broker was gone for longer than its retries). Like a
   * rebalance, the restarted consumer resumes from the committed offsets: uncommitted counts are void.
   */
  private onCrash(error: unknown): void {
    this.crashed = error;
    this.joined = false;
    this.epoch++;
    this.forgetUncommitted();
    this.options.onError(error, 'consumer crashed and kafkajs gave up on it; restarting it');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed || this.restartTimer !== undefined) return;
    const { initialMs, maxMs } = this.options.restartBackoff;
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.failedRestarts, 20));
    this.failedRestarts++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarting = this.restart().finally(() => {
        this.restarting = undefined;
      });
    }, delay);
  }

  /** A fresh kafkajs consumer in the same group; a failure to start it schedules the next try. */
  private async restart(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    if (this.closed) return;
    this.consumer = this.create();
    this.options.metrics.consumerRestarts.inc();
    this.options.onRestart?.(this.failedRestarts);
    try {
      await this.run();
    } catch (error) {
      this.crashed = error;
      this.options.onError(error, 'restarting the consumer failed; trying again');
      await this.consumer.disconnect().catch(() => undefined);
      this.scheduleRestart();
    }
  }

  async start(): Promise<void> {
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [this.options.impressionsTopic, this.options.aggregatesTopic],
      fromBeginning: true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async onBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const epoch = this.epoch;
    if (this.syncedEpoch !== epoch) {
      // Writes sent before the rebalance must land (and teach us their offsets) before we count again.
      await this.options.beforeCounting();
      if (epoch !== this.epoch) return;
      this.syncedEpoch = epoch;
    }
    const { aggregator, metrics } = this.options;
    const impressions = batch.topic === this.options.impressionsTopic;
    const slot = slotKey(batch.topic, batch.partition);
    const letters: DeadLetter[] = [];
    let last = -1;
    let counted = 0;
    let sinceYield = 0;
    for (const message of batch.messages) {
      if (++sinceYield >= YIELD_EVERY) {
        // A 4 MB batch takes a while; kv-store's writes (several round trips each) need the event loop too.
        sinceYield = 0;
        await yieldToEventLoop();
      }
      if (!isRunning() || isStale() || epoch !== this.epoch) break;
      const offset = Number(message.offset);
      let errors: FieldError[] | undefined;
      if (impressions) {
        const carried = countImpression(aggregator, message.value, slot, offset);
        if (typeof carried === 'number') {
          metrics.labelsPerImpression.observe(carried);
          counted++;
        } else errors = carried;
      } else {
        const decoded = decodeAggregate(message.value);
        if (decoded.ok) {
          aggregator.addAggregate(decoded.value, slot, offset);
          counted++;
        } else errors = decoded.errors;
      }
      if (errors !== undefined)
        letters.push({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key ?? null,
          value: message.value ?? null,
          headers: message.headers,
          errors,
        });
      last = offset;
    }
    if (last < 0) return;
    if (letters.length > 0) {
      metrics.decodeFailures.inc({ topic: batch.topic }, letters.length);
      // Acknowledged by the DLQ before the position moves past them: bad data is kept, never dropped.
      await sendDeadLetters(this.options.producer, this.options.dlqTopic, letters);
      metrics.deadLetters.inc(letters.length);
    }
    (impressions ? metrics.impressions : metrics.aggregates).inc(counted);
    if (epoch !== this.epoch) return;
    this.positions.set(`${batch.topic}:${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      next: last + 1,
    });
    resolveOffset(String(last));
    const high = Number(batch.highWatermark);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, high - last - 1));
    await heartbeat();
  }

  /** The consumed positions now; everything below them is in the aggregator (or the DLQ). */
  capture(): CapturedPositions {
    return {
      epoch: this.epoch,
      offsets: [...this.positions.values()].map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: String(p.next),
      })),
    };
  }

  /** Commits captured positions unless a rebalance happened since they were captured. */
  async commit(captured: CapturedPositions): Promise<boolean> {
    if (captured.epoch !== this.epoch || captured.offsets.length === 0) return false;
    await this.consumer.commitOffsets(captured.offsets);
    return true;
  }

  /** Stops fetching (the group membership stays, so a final commit still works). */
  async pause(): Promise<void> {
    this.consumer.pause([{ topic: this.options.impressionsTopic }, { topic: this.options.aggregatesTopic }]);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.restarting;
    await this.consumer.disconnect();
  }
}
