import { Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/** The partition of a topic with `partitions` partitions that a key maps to: kafkajs's default partitioner. */
export function keyPartition(topic: string, partitions: number, key: string): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [],
    isr: [],
  }));
  return partitioner({ topic, partitionMetadata, message: { key, value: null } });
}
