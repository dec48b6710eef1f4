import { backupTopic, captureOffsets, readToOffsets, restoreBackup } from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { kafka, produce, testLocation } from './helpers.js';

/** Every live record of a topic: key (hex) → value (hex) and headers (name=hex, in order). */
async function rawState(topic: string): Promise<Map<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  const ranges = await captureOffsets(admin, topic);
  await admin.disconnect();
  const out = new Map<string, string>();
  await readToOffsets(kafka, topic, ranges, {
    onBatch: (_p, messages) => {
      for (const m of messages) {
        const key = m.key!.toString('hex');
        if (m.value === null) {
          out.delete(key);
          continue;
        }
        const headers = Object.entries(m.headers ?? {}).flatMap(([n, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => `${n}=${Buffer.from(x as Buffer).toString('hex')}`),
        );
        out.set(key, `${m.value.toString('hex')}|${headers.join(',')}`);
      }
    },
  });
  return out;
}

describe('binary records', () => {
  it.each([2, 1] as const)(
    'restore reproduces non-UTF-8 keys and values, empty values and repeated headers byte for byte (format %i)',
    async (formatVersion) => {
      const topic = await createTestTopic('bk-bin', {
        partitions: 2,
        config: { 'cleanup.policy': 'compact' },
      });
      const target = await createTestTopic('bk-bin-dst', {
        partitions: 3,
        config: { 'cleanup.policy': 'compact' },
      });
      const s3 = await testLocation('primary');
      await produce(topic, [
        { key: Buffer.from([0xff, 0x00, 0xfe]), value: Buffer.from([0xc3, 0x28, 0x00, 0x80]) },
        { key: Buffer.from('héllo'), value: Buffer.from('wörld "quoted"\n') },
        { key: Buffer.from('empty'), value: Buffer.alloc(0) },
        {
          key: Buffer.from('hdr'),
          value: Buffer.from('v'),
          headers: { trace: [Buffer.from([1, 2]), Buffer.from([3])], kind: 'x' },
        },
        { key: Buffer.from([0x80]), value: Buffer.from('first') },
        { key: Buffer.from([0x80]), value: Buffer.from([0xff]) },
        { key: Buffer.from('gone'), value: Buffer.from('soon') },
        { key: Buffer.from('gone'), value: null },
      ]);
      const expected = await rawState(topic);
      expect(expected.size).toBe(5);
      // Format 2 with its state on the worker thread (it is on the main thread below 500,000 records).
      const { backupId, stateKeys } = await backupTopic({
        kafka,
        topic,
        s3,
        formatVersion,
        stateWorkerRecords: 0,
      });
      expect(stateKeys).toBe(5);
      const result = await restoreBackup({ kafka, topic, targetTopic: target, backupId, s3 });
      expect(result.counts).toEqual({ create: 5, change: 0, delete: 0 });
      expect(await rawState(target)).toEqual(expected);
    },
  );
});
