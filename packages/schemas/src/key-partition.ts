/**
 * The partition of a key: kafkajs' default partitioner (Kafka's murmur2, as in the Java client 0.10.2), in
 * 32-bit integer arithmetic. It gives the same partition for every key as `Partitioners.DefaultPartitioner()`,
 * which every labeldocs producer uses, at a fraction of the cost of kafkajs' 64-bit `Long` version (kv-store's
 * test/key-partition.test.ts compares the two). kv-store routes a write to its partition's writer with it;
 * restore sets each record's partition with it, so kafkajs does not hash the key again.
 */
export function keyPartition(key: Buffer | string, partitions: number): number {
  return (murmur2(typeof key === 'string' ? Buffer.from(key) : key) & 0x7fffffff) % partitions;
}

const M = 0x5bd1e995;

export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[length4 + 2]! << 16;
  if (rest >= 2) h ^= data[length4 + 1]! << 8;
  if (rest >= 1) {
    h ^= data[length4]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}
