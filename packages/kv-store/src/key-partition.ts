import { Partitioners, type PartitionMetadata } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/** Every put asks for its key's partition (writer.submit); the same keys tend to be written again. */
const MEMO_KEYS = 4_096;
const memos = new Map<number, { metadata: PartitionMetadata[]; byKey: Map<string, number> }>();

/** The partition of a topic with `partitions` partitions that a key maps to: kafkajs's default partitioner. */
export function keyPartition(topic: string, partitions: number, key: string): number {
  let memo = memos.get(partitions);
  if (memo === undefined) {
    const metadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [],
      isr: [],
    }));
    memo = { metadata, byKey: new Map() };
    memos.set(partitions, memo);
  }
  const known = memo.byKey.get(key);
  if (known !== undefined) return known;
  // With a key, kafkajs's partitioner depends on the key and the partition count only (murmur2), not the topic.
  const partition = partitioner({ topic, partitionMetadata: memo.metadata, message: { key, value: null } });
  if (memo.byKey.size >= MEMO_KEYS) memo.byKey.clear();
  memo.byKey.set(key, partition);
  return partition;
}
