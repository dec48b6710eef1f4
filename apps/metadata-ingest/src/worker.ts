import { createKvStore } from '@labeldocs/kv-store';
import { defaultGroupRegistry, isKnownGroup } from '@labeldocs/schemas';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { Aggregator } from './core/aggregator.js';
import { Flusher, type FlushResult } from './core/flusher.js';
import { PiiRegistry } from './core/pii-registry.js';
import type { TrackedLabelSink } from './core/sink.js';
import { type TrackedLabelState, trackedLabelStateCodec } from './core/state.js';
import { IngestClosedError, IngestFlushFailedError } from './errors.js';
import { IngestConsumer } from './kafka/ingest-consumer.js';
import { waitForCurrentState } from './kafka/state-barrier.js';
import { ensureTopics } from './kafka/topics.js';
import { createIngestMetrics } from './metrics.js';
import { startTicker, type Ticker } from './ticker.js';
import {
  type IngestWorkerOptions,
  type ResolvedWorkerOptions,
  resolveWorkerOptions,
} from './worker-options.js';

/**
 * metadata-ingest's engine: consumer group -> aggregator -> flusher -> kv-store, plus the loops that
 * write meaningful changes (every flush interval) and flush everything then commit (every commit interval).
 */
export class IngestWorker {
  readonly options: ResolvedWorkerOptions;
  readonly aggregator: Aggregator;
  readonly sink: TrackedLabelSink;
  readonly metrics: ReturnType<typeof createIngestMetrics>;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly pii: PiiRegistry;
  private readonly flusher: Flusher;
  private readonly consumer: IngestConsumer;
  private tickers: Ticker[] = [];
  private closing: Promise<void> | undefined;
  private started = false;
  private readonly admin: Admin;
  /** Highest tracked-labels offset applied to our replica, per partition (for the state barrier). */
  private readonly appliedState = new Map<number, number>();

  constructor(options: IngestWorkerOptions, sink?: TrackedLabelSink) {
    const o = resolveWorkerOptions(options);
    this.options = o;
    this.metrics = createIngestMetrics(o.registry);
    this.kafka = new Kafka({
      clientId: o.clientId,
      brokers: o.brokers,
      logLevel: logLevel.ERROR,
      // kafkajs reports a routine rebalance as an ERROR; to us it is a warning, in the app's own log.
      logCreator: () => (entry) => o.logger.warn({ kafkajs: entry.log }, entry.log.message),
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.admin = this.kafka.admin();
    this.pii = new PiiRegistry({ brokers: o.brokers, topic: o.labelsTopic, clientId: o.clientId });
    this.sink =
      sink ??
      createKvStore<TrackedLabelState>({
        brokers: o.brokers,
        topic: o.trackedLabelsTopic,
        codec: trackedLabelStateCodec,
        clientId: `${o.clientId}-state`,
        topicConfig: { 'cleanup.policy': 'compact' },
      });
    const registry = o.groupRegistry ?? defaultGroupRegistry;
    this.aggregator = new Aggregator({
      lastSeenIntervalMs: o.lastSeenIntervalMs,
      isPii: this.pii.isPii,
      isKnownGroup: (group) => isKnownGroup(group, registry),
      lookup: (label) => (this.sink.isReady ? this.sink.get(label)?.value : undefined),
    });
    this.flusher = new Flusher(this.aggregator, this.sink, {
      days: o.days,
      isPii: this.pii.isPii,
      concurrency: o.writeConcurrency,
      conflictRetries: 20,
    });
    this.consumer = new IngestConsumer({
      kafka: this.kafka,
      groupId: o.groupId,
      impressionsTopic: o.impressionsTopic,
      aggregatesTopic: o.aggregatesTopic,
      dlqTopic: o.dlqTopic,
      aggregator: this.aggregator,
      producer: this.producer,
      metrics: this.metrics,
      beforeCounting: async () => {
        await this.flusher.idle();
        await this.stateBarrier();
      },
      sessionTimeoutMs: o.sessionTimeoutMs,
      retries: o.consumerRetries,
      restartBackoff: { initialMs: o.restartBackoffMs, maxMs: o.restartBackoffMaxMs },
      onRestart: (attempt) => o.logger.warn({ attempt }, 'restarting the consumer'),
      onRebalance: (epoch) =>
        o.logger.info({ epoch }, 'consumer group (re)joined; uncommitted counts will be re-read'),
      onError: (error, context) => o.logger.error({ err: error, context }, 'consumer error'),
    });
  }

  notReadyReason(): string | undefined {
    if (this.closing) return 'closing';
    if (!this.pii.store.isReady) return 'reading the documentation topic';
    if (!this.sink.isReady) return 'reading the tracked-labels topic';
    if (this.consumer.crashed !== undefined) return 'the consumer crashed; restarting it';
    if (!this.consumer.joined) return 'joining the consumer group';
    return undefined;
  }

  async start(): Promise<void> {
    if (this.closing) throw new IngestClosedError('metadata-ingest: start() after close()');
    this.started = true;
    const o = this.options;
    await this.admin.connect();
    await ensureTopics(this.admin, [
      { topic: o.impressionsTopic, partitions: o.impressionPartitions },
      { topic: o.aggregatesTopic, partitions: 3 },
      { topic: o.dlqTopic, partitions: 3, config: { 'retention.ms': String(14 * 86_400_000) } },
    ]);
    // Other instances write the same labels: learn their offsets so replays are recognised here too.
    this.sink.subscribe((change) => {
      const offset = Number(change.offset);
      if (offset > (this.appliedState.get(change.partition) ?? -1))
        this.appliedState.set(change.partition, offset);
      if (change.current !== undefined) this.aggregator.entries.get(change.key)?.learn(change.current.value);
    });
    await Promise.all([this.pii.store.start(), this.sink.start()]);
    await Promise.all([this.pii.store.ready(), this.sink.ready()]);
    await this.stateBarrier();
    await this.producer.connect();
    await this.consumer.start();
    const warn = (what: string) => (error: unknown) => o.logger.warn({ err: error }, `${what} failed`);
    this.tickers = [
      startTicker(o.flushIntervalMs, () => this.flush(false), warn('flush')),
      startTicker(o.commitIntervalMs, () => this.commit(), warn('commit')),
      startTicker(1_000, () => this.sampleMetrics(), warn('metrics')),
    ];
    o.logger.info({ group: o.groupId, topics: [o.impressionsTopic, o.aggregatesTopic] }, 'consuming');
  }

  private async stateBarrier(): Promise<void> {
    const current = await waitForCurrentState({
      admin: this.admin,
      stateTopic: this.options.trackedLabelsTopic,
      applied: this.appliedState,
      timeoutMs: this.options.sessionTimeoutMs * 2 + 10_000,
    });
    if (!current) this.options.logger.warn('tracked-label state did not settle in time; counting anyway');
  }

  private record(result: FlushResult): void {
    this.metrics.labelWrites.inc(result.written);
    this.metrics.writeFailures.inc(result.failed);
    this.metrics.overlaps.inc(result.overlaps);
  }

  /** Writes labels with a meaningful change (or, with `all`, every label with anything counted). */
  async flush(all: boolean): Promise<FlushResult> {
    const started = Date.now();
    const result = await this.flusher.flush(all);
    if (result.written + result.failed > 0)
      this.options.logger.debug({ all, ...result, ms: Date.now() - started }, 'flushed');
    this.record(result);
    if (result.error !== undefined)
      this.options.logger.warn(
        { err: result.error, failed: result.failed },
        'some label writes failed; retrying later',
      );
    return result;
  }

  /** Flushes everything counted so far, then commits the positions captured before the flush. */
  async commit(): Promise<boolean> {
    const captured = this.consumer.capture();
    const result = await this.flush(true);
    if (result.failed > 0)
      throw new IngestFlushFailedError(`${result.failed} label writes failed; offsets not committed`, {
        cause: result.error,
      });
    const committed = await this.consumer.commit(captured);
    if (committed) this.metrics.commits.inc();
    return committed;
  }

  private lastImpressions: number[] = [];
  private async sampleMetrics(): Promise<void> {
    const total = (await this.metrics.impressions.get()).values[0]?.value ?? 0;
    this.lastImpressions.push(total);
    if (this.lastImpressions.length > 11) this.lastImpressions.shift();
    const first = this.lastImpressions[0] ?? total;
    this.metrics.impressionsPerSecond.set((total - first) / Math.max(1, this.lastImpressions.length - 1));
    const stats = this.aggregator.stats;
    const flagged = { malformed_name: 0, unknown_group: 0 };
    for (const entry of this.aggregator.entries.values()) {
      if (!entry.nameValid) flagged.malformed_name++;
      else if (!entry.knownGroup) flagged.unknown_group++;
    }
    this.metrics.flaggedLabels.set({ flag: 'malformed_name' }, flagged.malformed_name);
    this.metrics.flaggedLabels.set({ flag: 'unknown_group' }, flagged.unknown_group);
    this.metrics.trackedLabels.set(this.aggregator.entries.size);
    await syncCounter(
      this.metrics.flaggedObservations,
      { flag: 'malformed_name' },
      stats.malformedNameObservations,
    );
    await syncCounter(
      this.metrics.flaggedObservations,
      { flag: 'unknown_group' },
      stats.unknownGroupObservations,
    );
    await syncCounter(this.metrics.replayed, {}, stats.replayedObservations);
  }

  /** Stops consuming, flushes and commits what was counted, then disconnects. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const t of this.tickers) await t.stop();
      const steps: Array<() => Promise<unknown>> = [];
      if (this.started) {
        steps.push(
          () => this.consumer.pause(),
          () => this.commit(),
        );
      }
      steps.push(
        () => this.consumer.close(),
        () => this.producer.disconnect(),
        () => this.sink.close(),
        () => this.admin.disconnect(),
        () => this.pii.store.close(),
      );
      const errors: unknown[] = [];
      for (const step of steps) await step().catch((error: unknown) => errors.push(error));
      if (errors.length > 0) throw new AggregateError(errors, 'metadata-ingest: some close steps failed');
    })();
    return this.closing;
  }
}

async function syncCounter(
  counter: {
    get(): Promise<{ values: Array<{ value: number; labels: object }> }>;
    inc(l: object, n: number): void;
  },
  labels: Record<string, string>,
  target: number,
): Promise<void> {
  const key = JSON.stringify(labels);
  const current = (await counter.get()).values.find((v) => JSON.stringify(v.labels) === key)?.value ?? 0;
  if (target > current) counter.inc(labels, target - current);
}
