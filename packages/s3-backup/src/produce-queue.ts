import { keyPartition } from '@labeldocs/schemas';
import type { Kafka, Message, Producer } from 'kafkajs';

/**
 * Produces keyed records to one topic with one idempotent producer (acks=all), one request in flight while the
 * next batch fills: the records of one key are sent in the order they were pushed. Each key goes to the
 * partition kafkajs' default partitioner would choose (as every labeldocs writer does), computed here once.
 * One producer per partition measured no faster (the JavaScript thread, not the broker, is the limit).
 */
export class ProduceQueue {
  #batch: Message[] = [];
  #inFlight: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(
    readonly producer: Producer,
    readonly topic: string,
    readonly partitions: number,
    readonly batchSize: number,
    readonly onSent: (messages: Message[]) => void,
  ) {}

  static async open(
    kafka: Kafka,
    topic: string,
    opts: { batchSize: number; onSent: (messages: Message[]) => void },
  ): Promise<ProduceQueue> {
    const admin = kafka.admin();
    await admin.connect();
    let partitions: number;
    try {
      partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new ProduceQueue(producer, topic, partitions, opts.batchSize, opts.onSent);
  }

  /** Queues one message (setting its partition); waits only when a full batch waits for the request in flight. */
  push(message: Message & { key: Buffer; partition?: number }): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    message.partition = keyPartition(message.key, this.partitions);
    this.#batch.push(message);
    return this.#batch.length >= this.batchSize ? this.#send() : undefined;
  }

  async #send(): Promise<void> {
    const messages = this.#batch;
    this.#batch = [];
    await this.#inFlight;
    if (this.#failure !== undefined) throw this.#failure;
    this.#inFlight = this.producer.send({ topic: this.topic, acks: -1, messages }).then(
      () => this.onSent(messages),
      (error: unknown) => {
        this.#failure ??= error;
      },
    );
  }

  /** Sends what is left and waits for every request; throws the first failure. */
  async flush(): Promise<void> {
    if (this.#batch.length > 0) await this.#send();
    await this.#inFlight;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
