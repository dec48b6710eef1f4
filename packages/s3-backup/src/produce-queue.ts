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
  // Per partition, the batch's bytes as a record batch holds them (upper bound), for maxBatchBytes.
  #bytes: number[] = [];
  #inFlight: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(
    readonly producer: Producer,
    readonly topic: string,
    readonly partitions: number,
    readonly batchSize: number,
    readonly maxBatchBytes: number,
    readonly onSent: (messages: Message[]) => void,
  ) {}

  /**
   * `maxBatchBytes`: at most this many bytes of records (counted as {@link recordBytes}) per partition in one
   * request. kafkajs sends a request as it is given, and the broker rejects a partition's record batch larger
   * than the topic's `max.message.bytes` (MESSAGE_TOO_LARGE), so large records must go in smaller requests.
   */
  static async open(
    kafka: Kafka,
    topic: string,
    opts: { batchSize: number; maxBatchBytes: number; onSent: (messages: Message[]) => void },
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
    return new ProduceQueue(producer, topic, partitions, opts.batchSize, opts.maxBatchBytes, opts.onSent);
  }

  /**
   * Queues one message (setting its partition); waits only when a full batch waits for the request in flight.
   * A batch is full at `batchSize` messages, or when this message would take its partition past
   * `maxBatchBytes` (then the batch goes without it, and it starts the next one: one request at a time).
   */
  push(message: Message & { key: Buffer; partition?: number }): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    const partition = keyPartition(message.key, this.partitions);
    message.partition = partition;
    const size = recordBytes(message);
    const before =
      this.#batch.length > 0 && (this.#bytes[partition] ?? 0) + size > this.maxBatchBytes
        ? this.#send()
        : undefined;
    this.#batch.push(message);
    this.#bytes[partition] = (this.#bytes[partition] ?? 0) + size;
    // With a batch of one message just sent, the new batch holds one: full only at batchSize 1, and then
    // there was nothing to send before it.
    return this.#batch.length >= this.batchSize ? this.#send() : before;
  }

  async #send(): Promise<void> {
    const messages = this.#batch;
    this.#batch = [];
    this.#bytes = [];
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

/**
 * An upper bound of a message's size in a record batch (format v2): key, value and header bytes, plus at most
 * 36 bytes of varints and attributes per record and 10 per header.
 */
export function recordBytes(message: Message): number {
  let n = 36 + byteLength(message.key) + byteLength(message.value);
  for (const [name, v] of Object.entries(message.headers ?? {}))
    for (const x of Array.isArray(v) ? v : [v]) n += 10 + Buffer.byteLength(name) + byteLength(x ?? null);
  return n;
}

function byteLength(v: Buffer | string | null | undefined): number {
  return v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}
