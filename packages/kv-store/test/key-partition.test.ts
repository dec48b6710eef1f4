import { keyPartition } from '@labeldocs/schemas';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';

describe('keyPartition (kv-store routing, restore placement)', () => {
  it("in the partition kafkajs' default partitioner chooses, for every key and partition count", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
          fc.string().map((s) => Buffer.from(s)),
        ),
        fc.integer({ min: 1, max: 1000 }),
        (key, partitions) => {
          const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
            partitionId,
            leader: 0,
            partitionErrorCode: 0,
            replicas: [],
            isr: [],
          }));
          const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
          expect(keyPartition(key, partitions)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
