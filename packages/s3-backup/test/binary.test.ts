import { backupTopic, readToOffsets, restoreBackup } from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { kafka, offsetsOf, produce, testLocation } from './helpers.js';

/** Every live record of a topic: key (hex) → value (hex) and headers (name=hex, in order). */
async function rawState(topic: string): Promise<Map<string, string>> {
  const ranges = await offsetsOf(topic);
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

  it.each([0, Number.POSITIVE_INFINITY])(
    'a backup of many runs per partition, its buffers reused, restores every record exactly (stateWorkerRecords %s)',
    async (stateWorkerRecords) => {
      const topic = await createTestTopic('bk-runs', {
        partitions: 2,
        config: { 'cleanup.policy': 'compact' },
      });
      const target = await createTestTopic('bk-runs-dst', {
        partitions: 2,
        config: { 'cleanup.policy': 'compact' },
      });
      const s3 = await testLocation('primary');
      // ~12 MB in 3,000 records of distinct content (each value says which record it is, so a run written
      // into memory another run still used would show as wrong values), with overwrites and tombstones.
      const messages = Array.from({ length: 3000 }, (_, i) => ({
        key: Buffer.from(`k${i % 2500}`),
        value: i % 97 === 5 ? null : Buffer.from(`${i}:`.padEnd(4000, String.fromCharCode(97 + (i % 26)))),
      }));
      await produce(topic, messages, 100);
      const expected = await rawState(topic);
      const manifest = await backupTopic({
        kafka,
        topic,
        s3,
        stateWorkerRecords,
        segmentBytes: 4 * 1024 * 1024,
      });
      expect(manifest.segments.length).toBeGreaterThan(2);
      const result = await restoreBackup({
        kafka,
        topic,
        targetTopic: target,
        backupId: manifest.backupId,
        s3,
      });
      expect(result.stateHash).toBe(manifest.stateHash);
      expect(await rawState(target)).toEqual(expected);
    },
  );

  it('restore splits its requests by bytes so that each partition batch fits the target max.message.bytes', async () => {
    const topic = await createTestTopic('bk-big', { partitions: 2, config: { 'cleanup.policy': 'compact' } });
    // 1000 records of 4 KB per request would be 2 MB per partition, 20× this target's limit.
    const target = await createTestTopic('bk-big-dst', {
      partitions: 2,
      config: { 'cleanup.policy': 'compact', 'max.message.bytes': '100000' },
    });
    const s3 = await testLocation('primary');
    const messages = Array.from({ length: 1200 }, (_, i) => ({
      key: Buffer.from(`big-${i}`),
      value: Buffer.alloc(4000, i % 251),
      headers: { n: String(i) },
    }));
    await produce(topic, messages, 100);
    const expected = await rawState(topic);
    const { backupId } = await backupTopic({ kafka, topic, s3 });
    const result = await restoreBackup({ kafka, topic, targetTopic: target, backupId, s3 });
    expect(result.produced).toBe(1200);
    expect(await rawState(target)).toEqual(expected);
  });
});
