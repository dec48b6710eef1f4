import {
  backupTopic,
  listBackups,
  readTopicState,
  replicateBackup,
  restoreBackup,
  verifyBackup,
} from '@labeldocs/s3-backup';
import { keyPartition } from '@labeldocs/schemas';
import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, endOffsetSum, history, kafka, produce, stateOf, testLocation } from './helpers.js';

describe('backup and restore round trip', () => {
  // Format 1 (gzip NDJSON) is what backups before format 2 hold: they must still restore.
  it.each([
    [2, 0],
    [2, Number.POSITIVE_INFINITY],
    [1, Number.POSITIVE_INFINITY],
  ] as const)(
    'restores a changed topic to exactly the backed-up state (format %i, state worker from %d records), after a dry run that produced nothing',
    async (formatVersion, stateWorkerRecords) => {
      const topic = await createTestTopic('bk-rt', compact);
      const s3 = await testLocation('primary');
      await produce(topic, history(120, 600));
      const before = await stateOf(topic);
      expect(before.size).toBe(120 - Math.ceil(120 / 7));

      const manifest = await backupTopic({ kafka, topic, s3, formatVersion, stateWorkerRecords });
      expect(manifest.formatVersion).toBe(formatVersion);
      // The state computed on the worker thread and on the main thread agree.
      const again = await backupTopic({
        kafka,
        topic,
        s3,
        formatVersion,
        stateWorkerRecords: stateWorkerRecords === 0 ? Number.POSITIVE_INFINITY : 0,
      });
      expect([again.stateHash, again.stateKeys]).toEqual([manifest.stateHash, manifest.stateKeys]);
      expect(manifest.segments[0]?.compression).toBe(formatVersion === 2 ? 'zstd' : 'gzip');
      expect((await verifyBackup({ s3, topic, backupId: manifest.backupId })).ok).toBe(true);
      expect(manifest.totalRecords).toBe(600 + Math.ceil(120 / 7));
      expect(manifest.stateKeys).toBe(before.size);
      expect(manifest.partitions).toHaveLength(3);
      expect(manifest.topicConfig['cleanup.policy']).toBe('compact');

      // Change the topic: add keys, change keys, delete keys, bring a tombstoned key back.
      await produce(topic, [
        { key: 'new_Added1', value: 'a' },
        { key: 'new_Added2', value: 'b' },
        { key: 'san_Key1', value: 'changed' },
        { key: 'san_Key2', value: null },
        { key: 'san_Key0', value: 'resurrected' },
      ]);
      const dry = await restoreBackup({ kafka, topic, backupId: manifest.backupId, s3, dryRun: true });
      expect(dry.keys).toEqual({
        create: ['san_Key2'],
        change: ['san_Key1'],
        delete: ['new_Added1', 'new_Added2', 'san_Key0'],
      });
      const offsetsAfterDryRun = await endOffsetSum(topic);

      const result = await restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
      expect(result.counts).toEqual({ create: 1, change: 1, delete: 3 });
      expect(result.produced).toBe(5);
      expect(result.stateHash).toBe(manifest.stateHash);
      expect(await endOffsetSum(topic)).toBe(offsetsAfterDryRun + 5n);
      expect(await stateOf(topic)).toEqual(before);
    },
  );

  it('fails with BACKUP_STATE_MISMATCH when something else writes to the target during the restore', async () => {
    const topic = await createTestTopic('bk-foreign', compact);
    const s3 = await testLocation('primary');
    await produce(topic, history(50, 200));
    const manifest = await backupTopic({ kafka, topic, s3 });
    await produce(topic, [{ key: 'san_Key3', value: 'changed' }]);
    // A writer the runbook says to stop, writing after the restore produced and before its final check.
    const restoring = restoreBackup({
      kafka,
      topic,
      backupId: manifest.backupId,
      s3,
      onPhase: async (phase) => {
        if (phase === 'produced') await produce(topic, [{ key: 'san_Key4', value: 'foreign' }]);
      },
    });
    await expect(restoring).rejects.toMatchObject({
      code: 'BACKUP_STATE_MISMATCH',
      message: expect.stringMatching(/did something write to bk-foreign/),
    });
    // Run again without the writer: it converges.
    const again = await restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
    expect(again.counts).toEqual({ create: 0, change: 1, delete: 0 });
    expect(again.stateHash).toBe(manifest.stateHash);
  });

  it('restores over keys whose current record sits in another partition (the final check rebuilds the backup state it did not keep)', async () => {
    const topic = await createTestTopic('bk-moved', compact);
    const target = await createTestTopic('bk-moved-dst', compact);
    const s3 = await testLocation('primary');
    await produce(topic, history(40, 120));
    const manifest = await backupTopic({ kafka, topic, s3 });
    const live = [...(await stateOf(topic)).keys()];
    // Every other key's current record in a partition other than the one restore produces it to: those records
    // of restore's cannot be counted by tag, so the check switches to its general path (after counting some by
    // tag) and needs the backup's state and the tags' keys again.
    await produce(
      target,
      live.map((key, i) => ({ key, value: 'elsewhere', partition: (keyPartition(key, 3) + (i % 2)) % 3 })),
    );
    const result = await restoreBackup({
      kafka,
      topic,
      targetTopic: target,
      backupId: manifest.backupId,
      s3,
    });
    expect(result.counts).toEqual({ create: 0, change: live.length, delete: 0 });
    expect(result.stateHash).toBe(manifest.stateHash);
    expect((await readTopicState(kafka, target)).hash()).toBe(manifest.stateHash);
  });

  it('a failure while producing comes out as it is, not as an S3 failure of the segment being read', async () => {
    const topic = await createTestTopic('bk-produce-fail', compact);
    const target = await createTestTopic('bk-produce-fail-dst', compact);
    const s3 = await testLocation('primary');
    await produce(topic, history(50, 200));
    const manifest = await backupTopic({ kafka, topic, s3 });
    const failure = new Error('the producing side failed');
    const restoring = restoreBackup({
      kafka,
      topic,
      targetTopic: target,
      backupId: manifest.backupId,
      s3,
      batchSize: 1,
      onProgress: () => {
        throw failure;
      },
    });
    await expect(restoring).rejects.toBe(failure);
  });

  it('replicates to the second endpoint and restores from the replica into another topic', async () => {
    const topic = await createTestTopic('bk-src', compact);
    const target = await createTestTopic('bk-dst', {
      partitions: 2,
      config: { 'cleanup.policy': 'compact' },
    });
    const primary = await testLocation('primary');
    const replica = await testLocation('replica');
    await produce(topic, history(80, 300));
    await produce(target, [{ key: 'stale_Only', value: 'in target' }]);
    const manifest = await backupTopic({ kafka, topic, s3: primary, segmentBytes: 4096 });
    expect(manifest.segments.length).toBeGreaterThan(3);

    const status = await replicateBackup({ source: primary, replica, topic, backupId: manifest.backupId });
    expect(status).toMatchObject({ status: 'replicated', segments: manifest.segments.length });
    expect((await verifyBackup({ s3: replica, topic, backupId: manifest.backupId })).ok).toBe(true);
    expect((await verifyBackup({ s3: primary, topic, backupId: manifest.backupId })).ok).toBe(true);

    const [listed] = await listBackups({ s3: primary, topic });
    expect(listed).toMatchObject({
      backupId: manifest.backupId,
      status: 'complete',
      verification: { ok: true },
      replication: { status: 'replicated' },
    });

    await restoreBackup({ kafka, topic, targetTopic: target, backupId: manifest.backupId, s3: replica });
    expect(await stateOf(target)).toEqual(await stateOf(topic));
  });

  it('refuses a second restore of the same topic while one runs, and a target with another cleanup policy', async () => {
    const topic = await createTestTopic('bk-lock', compact);
    const wrong = await createTestTopic('bk-delete', { partitions: 1 });
    const s3 = await testLocation('primary');
    await produce(topic, history(30, 60));
    const { backupId } = await backupTopic({ kafka, topic, s3 });
    const results = await Promise.allSettled([
      restoreBackup({ kafka, topic, backupId, s3 }),
      restoreBackup({ kafka, topic, backupId, s3 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('BACKUP_LOCKED');
    await expect(restoreBackup({ kafka, topic, targetTopic: wrong, backupId, s3 })).rejects.toMatchObject({
      code: 'BACKUP_TOPIC_INCOMPATIBLE',
    });
    await expect(
      restoreBackup({ kafka, topic, targetTopic: `${wrong}-absent`, backupId, s3 }),
    ).rejects.toMatchObject({
      code: 'BACKUP_TOPIC_MISSING',
    });
  });
});
