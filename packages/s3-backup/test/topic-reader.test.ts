import { readToOffsets } from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, history, kafka, offsetsOf, produce } from './helpers.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

// readToOffsets queues fetched batches for its handler (BatchQueue) while kafkajs fetches the next ones.
describe('readToOffsets with a handler slower than the fetches', () => {
  it('hands over every record once, in offset order per partition, and returns after the last was handled', async () => {
    const topic = await createTestTopic('rd-queue', compact);
    await produce(topic, history(300, 3000));
    const ranges = await offsetsOf(topic);
    const next = new Map(ranges.map((r) => [r.partition, 0n]));
    let running = 0;
    let handled = 0;
    let returned = false;
    await readToOffsets(kafka, topic, ranges, {
      // Small fetches: many batches, several queued behind the slow handler.
      maxBytesPerPartition: 16 * 1024,
      queueBytes: 64 * 1024,
      onBatch: async (partition, messages) => {
        expect(running).toBe(0);
        running++;
        await tick();
        for (const m of messages) {
          expect(BigInt(m.offset)).toBe(next.get(partition));
          next.set(partition, BigInt(m.offset) + 1n);
        }
        handled += messages.length;
        expect(returned).toBe(false);
        running--;
      },
    });
    returned = true;
    expect(handled).toBe(3000 + Math.ceil(300 / 7));
    for (const r of ranges) expect(next.get(r.partition)).toBe(r.end);
  });

  it('fails with the error of a handler that throws, and hands over nothing after it', async () => {
    const topic = await createTestTopic('rd-queue-fail', compact);
    await produce(topic, history(300, 3000));
    const ranges = await offsetsOf(topic);
    let calls = 0;
    await expect(
      readToOffsets(kafka, topic, ranges, {
        maxBytesPerPartition: 16 * 1024,
        onBatch: async () => {
          calls++;
          await tick();
          if (calls === 3) throw new Error('handler failed on its third batch');
        },
      }),
    ).rejects.toThrow('handler failed on its third batch');
    // No call after the failing third one.
    expect(calls).toBe(3);
  });
});
