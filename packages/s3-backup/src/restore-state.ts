import type { Kafka } from 'kafkajs';
import type { AppendedRecords } from './appended-records.js';
import type { ProducedRecords } from './produced-records.js';
import { TopicState } from './state.js';
import { captureOffsets, type PartitionRange, readToOffsets } from './topic-reader.js';

/** Reads a topic to its current end and returns its state (latest record per key). */
export async function readTopicState(kafka: Kafka, topic: string, signal?: AbortSignal): Promise<TopicState> {
  return (await readState(kafka, topic, signal)).state;
}

/** Reads a topic from its log start to the ends captured now; returns its state and those ranges. */
export async function readState(
  kafka: Kafka,
  topic: string,
  signal: AbortSignal | undefined,
): Promise<{ state: TopicState; ranges: PartitionRange[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ranges = await captureOffsets(admin, topic);
    const state = new TopicState();
    await readToOffsets(kafka, topic, ranges, {
      signal,
      onBatch: (partition, messages) => {
        for (const m of messages)
          state.apply(m.key, m.value, partition, Number(m.offset), Number(m.timestamp));
      },
    });
    return { state, ranges };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Follows what is appended to `topic` from the ends of `after` on, applying every record (ours and anyone
 * else's) through `appended`. `finish()`, called once the last produced record was acknowledged, captures the
 * topic's ends then and resolves when everything below them was applied; `cancel()` stops following.
 */
export function followAppended(
  kafka: Kafka,
  topic: string,
  after: PartitionRange[],
  appended: AppendedRecords,
  produced: ProducedRecords,
  signal: AbortSignal | undefined,
): { finish: () => Promise<void>; cancel: () => Promise<void> } {
  let end!: { resolve: (r: PartitionRange[]) => void; reject: (e: unknown) => void };
  const until = new Promise<PartitionRange[]>((resolve, reject) => {
    end = { resolve, reject };
  });
  until.catch(() => undefined);
  const local = new AbortController();
  const reading = readToOffsets(
    kafka,
    topic,
    after.map((r) => ({ partition: r.partition, start: r.end, end: r.end })),
    {
      signal: signal === undefined ? local.signal : AbortSignal.any([signal, local.signal]),
      seekToStart: true,
      until,
      onBatch: async (partition, messages) => {
        for (const m of messages) {
          const switching = appended.apply(
            m.key,
            m.value,
            partition,
            Number(m.offset),
            Number(m.timestamp),
            produced.take(partition, m.key, m.value),
          );
          if (switching !== undefined) await switching;
        }
      },
    },
  );
  reading.catch(() => undefined);
  return {
    async finish() {
      const admin = kafka.admin();
      try {
        await admin.connect();
        end.resolve(await captureOffsets(admin, topic));
      } catch (error) {
        end.reject(error);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await reading;
    },
    async cancel() {
      local.abort();
      end.reject(new Error('cancelled'));
      await reading.catch(() => undefined);
    },
  };
}
