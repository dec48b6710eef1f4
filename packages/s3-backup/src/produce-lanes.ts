import { type Kafka, type Message, Partitioners, type PartitionMetadata, type Producer } from 'kafkajs';

interface Lane {
  producer: Producer;
  batch: Message[];
  /** The lane's requests not yet completed, oldest first; each starts when the previous one completed. */
  pending: Promise<void>[];
}

/**
 * Produces to one topic over several idempotent producers ("lanes") at once, so several produce requests are
 * in flight while each partition's records stay in order. Every message is assigned its partition with kafkajs'
 * default partitioner (the one every labeldocs writer uses), and a partition always goes to the same lane:
 * the records of one key are sent by one producer, one request at a time, in the order they were pushed.
 */
export class ProduceLanes {
  readonly #lanes: Lane[];
  readonly #partitionOf = Partitioners.DefaultPartitioner();
  #failure: unknown;

  private constructor(
    readonly topic: string,
    readonly partitionMetadata: PartitionMetadata[],
    producers: Producer[],
    readonly batchSize: number,
    readonly onSent: (messages: Message[]) => void,
  ) {
    this.#lanes = producers.map((producer) => ({ producer, batch: [], pending: [] }));
  }

  /** Connects min(`maxLanes`, partitions) producers (idempotent, acks=all, one request in flight each). */
  static async open(
    kafka: Kafka,
    topic: string,
    opts: { maxLanes: number; batchSize: number; onSent: (messages: Message[]) => void },
  ): Promise<ProduceLanes> {
    const admin = kafka.admin();
    await admin.connect();
    let partitions: PartitionMetadata[];
    try {
      partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const n = Math.max(1, Math.min(opts.maxLanes, partitions.length));
    const producers: Producer[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
        producers.push(p);
        await p.connect();
      }
    } catch (error) {
      await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
      throw error;
    }
    return new ProduceLanes(topic, partitions, producers, opts.batchSize, opts.onSent);
  }

  /** Queues one message; resolves at once unless its lane already has two requests waiting (backpressure). */
  async push(message: Message): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const partition = this.#partitionOf({
      topic: this.topic,
      partitionMetadata: this.partitionMetadata,
      message,
    });
    const lane = this.#lanes[partition % this.#lanes.length]!;
    lane.batch.push({ ...message, partition });
    if (lane.batch.length >= this.batchSize) await this.#send(lane);
  }

  async #send(lane: Lane): Promise<void> {
    if (lane.batch.length === 0) return;
    const messages = lane.batch;
    lane.batch = [];
    const previous = lane.pending.at(-1) ?? Promise.resolve();
    const sent = previous.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await lane.producer.send({ topic: this.topic, acks: -1, messages });
        this.onSent(messages);
      } catch (error) {
        this.#failure ??= error;
      }
    });
    lane.pending.push(sent);
    void sent.finally(() => lane.pending.splice(lane.pending.indexOf(sent), 1));
    // One request in flight and one batch ready per lane; beyond that the reader waits for the oldest.
    while (lane.pending.length > 2) await lane.pending[0];
  }

  /** Sends what is left and waits for every request; throws the first failure. */
  async flush(): Promise<void> {
    for (const lane of this.#lanes) await this.#send(lane);
    await Promise.all(this.#lanes.flatMap((l) => l.pending));
    if (this.#failure !== undefined) throw this.#failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.producer.disconnect().catch(() => undefined)));
  }
}
