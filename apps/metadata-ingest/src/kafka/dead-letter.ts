import type { FieldError } from '@labeldocs/schemas';
import type { IHeaders, Producer } from 'kafkajs';

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | undefined;
  errors: FieldError[];
}

/** Header names on dead-letter records; the reason is readable without decoding the value. */
export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  errors: 'x-dlq-errors',
  topic: 'x-dlq-source-topic',
  partition: 'x-dlq-source-partition',
  offset: 'x-dlq-source-offset',
  at: 'x-dlq-at',
} as const;

/** `labels.page_Url: must be ...; ts: ...`, bounded so a header never grows large. */
export const reasonText = (errors: FieldError[]) =>
  errors
    .slice(0, 5)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ')
    .slice(0, 1_000);

/** Sends undecodable records, unchanged, to the dead-letter topic with the reason in headers. */
export async function sendDeadLetters(
  producer: Producer,
  dlqTopic: string,
  letters: DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic: dlqTopic,
    acks: -1,
    messages: letters.map((l) => ({
      key: l.key,
      value: l.value,
      headers: {
        ...l.headers,
        [DLQ_HEADERS.reason]: reasonText(l.errors),
        [DLQ_HEADERS.errors]: JSON.stringify(l.errors.slice(0, 20)),
        [DLQ_HEADERS.topic]: l.topic,
        [DLQ_HEADERS.partition]: String(l.partition),
        [DLQ_HEADERS.offset]: l.offset,
        [DLQ_HEADERS.at]: new Date().toISOString(),
      },
    })),
  });
}
