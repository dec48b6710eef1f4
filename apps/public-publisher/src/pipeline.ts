import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import type { JoinOptions } from './join.js';
import { JoinState, type Publication, type SourceSide } from './join-state.js';
import type { PublisherMetrics } from './metrics.js';
import { type Positions, setPosition } from './positions.js';
import { checkPublishedVersions } from './schema-compat.js';
import { type StreamBatch, startStream } from './stream.js';
import { readToEnd } from './topic-reader.js';
import { publishTransaction } from './transaction.js';

export interface PublisherTopics {
  labels: string;
  tracked: string;
  public: string;
}

export interface PipelineOptions {
  kafka: Kafka;
  topics: PublisherTopics;
  /** Consumer group whose offsets the publish transactions commit. */
  consumerGroup: string;
  transactionalId: string;
  join: JoinOptions;
  /** Publish every label again, changed or not (after a format change). */
  republish: boolean;
  metrics: PublisherMetrics;
  logger: Logger;
  /** Called once when the running stream fails; the pipeline is then dead and must be closed. */
  onFailure: (error: unknown) => void;
}

/**
 * One life of the publisher: fence the previous life, rebuild the join and the last-published map from the
 * topics, publish the difference, then stream. Any failure ends the life; the supervisor starts a new one,
 * which rebuilds everything from Kafka, so in-memory state can never drift from what was committed.
 */
export class Pipeline {
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  private failed = false;
  /** Where the stream starts: the ends the bootstrap read up to and committed. */
  private from: Positions = new Map();
  private readonly lastSourceTimestamp = new Map<string, number>();
  private readonly state: JoinState;

  constructor(private readonly o: PipelineOptions) {
    this.state = new JoinState(o.join, (topic, key, errors) => {
      o.metrics.invalidRecords.inc({ topic });
      o.logger.warn({ topic, key, errors }, 'skipping a record that does not decode');
    });
  }

  private sideOf(topic: string): SourceSide {
    return topic === this.o.topics.labels ? 'labels' : 'tracked';
  }

  private applySource(topic: string, message: KafkaMessage): string | undefined {
    const key = this.state.applySource(this.sideOf(topic), {
      key: message.key?.toString('utf8') ?? null,
      value: message.value,
      headers: message.headers,
    });
    if (key !== undefined) this.lastSourceTimestamp.set(key, Number(message.timestamp));
    return key;
  }

  /** Fences and catches up; resolves once the public topic shows the join of both sources' current state. */
  async bootstrap(): Promise<void> {
    const { kafka, topics } = this.o;
    this.producer = kafka.producer({
      transactionalId: this.o.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2, so the public topic is partitioned like any other client would.
      createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    // Initialising the transactional id fences any earlier life (a SIGKILLed process, a zombie) and waits
    // for its open transaction to be aborted or completed, so what we read next is settled.
    await (await this.producer.transaction()).abort();

    const ends = await readToEnd(kafka, {
      topics: [topics.labels, topics.tracked, topics.public],
      groupPrefix: this.o.consumerGroup,
      onRecord: (topic, _partition, message) => {
        if (topic === topics.public) {
          this.state.applyPublished({ key: message.key?.toString('utf8') ?? null, value: message.value });
        } else this.applySource(topic, message);
      },
    });
    checkPublishedVersions(this.state.publishedSchemaVersions(), this.o.join.schemaVersion);
    ends.delete(topics.public);
    const publications = this.state.diff(this.state.allKeys(), this.o.republish);
    // A republish re-sends old records on purpose: their age is not propagation lag.
    await this.commit(publications, ends, !this.o.republish);
    this.o.logger.info(
      { documented: this.state.docs.size, tracked: this.state.tracked.size, published: publications.length },
      this.o.republish ? 'republished every label' : 'caught up',
    );
    this.from = ends;
  }

  /** Follows both sources, one transaction per consumed batch. */
  async stream(): Promise<void> {
    this.consumer = await startStream(this.o.kafka, {
      topics: [this.o.topics.labels, this.o.topics.tracked],
      groupPrefix: this.o.consumerGroup,
      from: this.from,
      onBatch: (batch) => this.onBatch(batch),
      onCrash: (error) => this.fail(error),
    });
  }

  private async onBatch(batch: StreamBatch): Promise<void> {
    if (this.failed) return;
    const keys = new Set<string>();
    for (const message of batch.messages) {
      const key = this.applySource(batch.topic, message);
      if (key !== undefined) keys.add(key);
    }
    const offsets: Positions = new Map();
    setPosition(offsets, batch.topic, batch.partition, batch.next);
    try {
      await this.commit(this.state.diff(keys), offsets, true);
    } catch (error) {
      this.fail(error);
    }
  }

  private async commit(publications: Publication[], offsets: Positions, observeLag: boolean): Promise<void> {
    const { metrics } = this.o;
    try {
      await publishTransaction({
        producer: this.producer!,
        topic: this.o.topics.public,
        consumerGroup: this.o.consumerGroup,
        publications,
        offsets,
      });
    } catch (error) {
      metrics.transactionsAborted.inc();
      throw error;
    }
    metrics.transactionsCommitted.inc();
    this.state.markPublished(publications);
    const now = Date.now();
    for (const { key, value } of publications) {
      metrics.published.inc({ kind: value === null ? 'tombstone' : 'record' });
      const ts = this.lastSourceTimestamp.get(key);
      if (observeLag && ts !== undefined) metrics.endToEndLag.observe(Math.max(0, now - ts) / 1000);
    }
    metrics.labels.set(this.state.publishedCount());
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.consumer?.pause([{ topic: this.o.topics.labels }, { topic: this.o.topics.tracked }]);
    this.o.onFailure(error);
  }

  async close(): Promise<void> {
    this.failed = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }
}
