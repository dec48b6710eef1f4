import type { Kafka, Message, Producer } from 'kafkajs';

/**
 * Produces to one topic with one idempotent producer (acks=all), one request in flight while the next batch
 * fills: the records of one key are sent in the order they were pushed. kafkajs' default partitioner places
 * each key as every labeldocs writer does. One producer per partition measured no faster (the JavaScript
 * thread, not the broker, is the limit), so there is only one.
 */
export class ProduceQueue {
  #batch: Message[] = [];
  #inFlight: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(
    readonly producer: Producer,
    readonly topic: string,
    readonly batchSize: number,
    readonly onSent: (messages: Message[]) => void,
  ) {}

  static async open(
    kafka: Kafka,
    topic: string,
    opts: { batchSize: number; onSent: (messages: Message[]) => void },
  ): Promise<ProduceQueue> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new ProduceQueue(producer, topic, opts.batchSize, opts.onSent);
  }

  /** Queues one message; waits only when a full batch must wait for the request in flight. */
  push(message: Message): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
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
