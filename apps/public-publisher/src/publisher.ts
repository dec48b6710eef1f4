import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { PublisherError } from './errors.js';
import type { PublisherMetrics } from './metrics.js';
import { Pipeline, type PublisherTopics } from './pipeline.js';
import { ensureTopics } from './public-topic.js';

export interface PublisherOptions {
  kafka: Kafka;
  topics: PublisherTopics;
  /** Consumer group the publish transactions commit source offsets to. */
  consumerGroup: string;
  /** One publisher owns this id; a second one fences the first (which rebuilds and fences back). */
  transactionalId: string;
  /** Publish tracked-but-undocumented labels with `documentation.state = 'missing'` (default true). */
  publishUndocumented?: boolean;
  /** The public format version written; defaults to schemas' PUBLIC_SCHEMA_VERSION (tests pin others). */
  schemaVersion?: string;
  /** The first life publishes every label again (after a format change). */
  republish?: boolean;
  /** Partitions of the public topic when it has to be created (default 1). */
  publicTopicPartitions?: number;
  /** Replication factor of the public topic when it has to be created (default 1). */
  replicationFactor?: number;
  /** Pause before a rebuild after an error (default 1000 ms). */
  restartBackoffMs?: number;
  metrics: PublisherMetrics;
  logger: Logger;
  /** Called when an error that retrying cannot fix stops the publisher (e.g. PUB_SCHEMA_INCOMPATIBLE). */
  onFatal?: (error: unknown) => void;
}

const joinOptions = (o: Pick<PublisherOptions, 'publishUndocumented' | 'schemaVersion'>) => ({
  publishUndocumented: o.publishUndocumented ?? true,
  ...(o.schemaVersion === undefined ? {} : { schemaVersion: o.schemaVersion }),
});
const retryable = (error: unknown) => !(error instanceof PublisherError) || error.retryable;
const codeOf = (error: unknown) =>
  error instanceof PublisherError ? error.code : ((error as Error | undefined)?.name ?? 'unknown');

/** Keeps one pipeline alive: on any failure it closes it and starts a fresh one that rebuilds from Kafka. */
export class Publisher {
  private reason: string | undefined = 'starting';
  private closed = false;
  private wakeClosed: () => void = () => undefined;
  private readonly closedSignal = new Promise<void>((resolve) => {
    this.wakeClosed = resolve;
  });
  private readyResolve: () => void = () => undefined;
  private readyReject: (error: unknown) => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve, reject) => {
    this.readyResolve = resolve;
    this.readyReject = reject;
  });
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: PublisherOptions) {
    this.readyPromise.catch(() => undefined);
  }

  /** Why /health/ready should say 503, or undefined once the publisher is streaming. */
  notReadyReason(): string | undefined {
    return this.reason;
  }

  /** Resolves once the first catch-up is committed and the stream runs; rejects on a fatal error. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    let republish = this.o.republish ?? false;
    while (!this.closed) {
      let onFailure: (error: unknown) => void = () => undefined;
      const failed = new Promise<unknown>((resolve) => {
        onFailure = resolve;
      });
      const pipeline = new Pipeline({
        kafka: this.o.kafka,
        topics: this.o.topics,
        consumerGroup: this.o.consumerGroup,
        transactionalId: this.o.transactionalId,
        join: joinOptions(this.o),
        republish,
        metrics: this.o.metrics,
        logger: this.o.logger,
        onFailure: (error) => onFailure(error),
      });
      try {
        this.reason = 'catching up';
        await ensureTopics(this.o.kafka, {
          topic: this.o.topics.public,
          sources: [this.o.topics.labels, this.o.topics.tracked],
          partitions: this.o.publicTopicPartitions ?? 1,
          replicationFactor: this.o.replicationFactor ?? 1,
        });
        await pipeline.bootstrap();
        republish = false;
        if (!this.closed) await pipeline.stream();
        if (this.closed) break;
        this.reason = undefined;
        this.readyResolve();
        const error = await Promise.race([failed, this.closedSignal]);
        if (this.closed) break;
        throw error;
      } catch (error) {
        if (this.closed) break;
        if (!retryable(error)) {
          this.reason = `stopped: ${codeOf(error)}`;
          this.o.logger.error({ err: error }, 'publisher stopped');
          this.readyReject(error);
          this.o.onFatal?.(error);
          break;
        }
        this.o.metrics.restarts.inc();
        this.reason = `rebuilding after ${codeOf(error)}`;
        this.o.logger.warn({ err: error }, 'publisher failed; rebuilding from the topics');
      } finally {
        await pipeline.close();
      }
      await Promise.race([sleep(this.o.restartBackoffMs ?? 1_000), this.closedSignal]);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.reason = 'closed';
      this.wakeClosed();
      await this.loop;
    })();
    return this.closing;
  }
}

/** Rebuilds the whole public topic from the current state of both sources once, then returns. */
export async function republishOnce(
  o: Omit<PublisherOptions, 'republish' | 'onFatal' | 'restartBackoffMs'>,
): Promise<void> {
  await ensureTopics(o.kafka, {
    topic: o.topics.public,
    sources: [o.topics.labels, o.topics.tracked],
    partitions: o.publicTopicPartitions ?? 1,
    replicationFactor: o.replicationFactor ?? 1,
  });
  const pipeline = new Pipeline({
    kafka: o.kafka,
    topics: o.topics,
    consumerGroup: o.consumerGroup,
    transactionalId: o.transactionalId,
    join: joinOptions(o),
    republish: true,
    metrics: o.metrics,
    logger: o.logger,
    onFailure: () => undefined,
  });
  try {
    await pipeline.bootstrap();
  } finally {
    await pipeline.close();
  }
}
