import type { Admin } from 'kafkajs';

/** Next offset to read per topic and partition (offsets as decimal strings: Kafka offsets are 64-bit). */
export type Positions = Map<string, Map<number, string>>;

export interface PartitionRange {
  topic: string;
  partition: number;
  low: string;
  end: string;
}

/**
 * Where every partition of `topics` starts and ends now. kafkajs lists offsets read_committed, so `end` is
 * the last stable offset: everything below it is decided (committed or aborted).
 */
export async function partitionRanges(admin: Admin, topics: readonly string[]): Promise<PartitionRange[]> {
  const ranges: PartitionRange[] = [];
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      ranges.push({ topic, partition: p.partition, low: p.low, end: p.high });
    }
  }
  return ranges;
}

export function positionOf(positions: Positions, topic: string, partition: number): bigint {
  return BigInt(positions.get(topic)?.get(partition) ?? '0');
}

export function setPosition(positions: Positions, topic: string, partition: number, offset: bigint): void {
  let byPartition = positions.get(topic);
  if (byPartition === undefined) {
    byPartition = new Map();
    positions.set(topic, byPartition);
  }
  byPartition.set(partition, offset.toString());
}

/** The shape `transaction.sendOffsets` wants. */
export function toOffsetTopics(
  positions: Positions,
): Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> {
  return [...positions].map(([topic, byPartition]) => ({
    topic,
    partitions: [...byPartition].map(([partition, offset]) => ({ partition, offset })),
  }));
}
