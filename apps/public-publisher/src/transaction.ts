import { publicLabelCodec } from '@labeldocs/schemas';
import type { Message, Producer } from 'kafkajs';
import { TransactionFailedError } from './errors.js';
import type { Publication } from './join-state.js';
import { type Positions, toOffsetTopics } from './positions.js';

/** Keeps each produce request well under the broker's default 1 MiB message limit during a republish. */
const CHUNK = 200;

export interface PublishTransaction {
  producer: Producer;
  topic: string;
  consumerGroup: string;
  publications: readonly Publication[];
  /** Source positions to commit with the records: consumed, produced and committed atomically. */
  offsets: Positions;
}

function toMessage({ key, value }: Publication): Message {
  if (value === null) return { key, value: null };
  const checked = publicLabelCodec.validate(value);
  if (!checked.ok) {
    // A bug, not bad input: the join produced something the public schema rejects. Fail the transaction.
    throw new TransactionFailedError(
      `public record for ${key} is invalid: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  return { key, value: publicLabelCodec.encode(checked.value) };
}

/**
 * One Kafka transaction: the public records plus the consumer group's source offsets. Either all of it
 * becomes visible to read_committed consumers or none of it does; on failure the transaction is aborted
 * and the error says so.
 */
export async function publishTransaction(t: PublishTransaction): Promise<void> {
  const messages = t.publications.map(toMessage);
  const txn = await t.producer.transaction();
  try {
    for (let i = 0; i < messages.length; i += CHUNK) {
      await txn.send({ topic: t.topic, messages: messages.slice(i, i + CHUNK), acks: -1 });
    }
    await txn.sendOffsets({ consumerGroupId: t.consumerGroup, topics: toOffsetTopics(t.offsets) });
    await txn.commit();
  } catch (error) {
    await txn.abort().catch(() => undefined);
    throw error instanceof TransactionFailedError
      ? error
      : new TransactionFailedError('publish transaction aborted', { cause: error });
  }
}
