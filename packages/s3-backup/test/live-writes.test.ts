import { backupTopic, captureOffsets, readToOffsets, restoreBackup } from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, history, kafka, produce, stateOf, testLocation } from './helpers.js';

describe('a backup while writes continue', () => {
  it('holds exactly the records below its captured end offsets', async () => {
    const topic = await createTestTopic('bk-live', compact);
    const target = await createTestTopic('bk-live-dst', compact);
    const s3 = await testLocation('primary');
    await produce(topic, history(200, 2000, 'before'));
    let writing = true;
    const writer = (async () => {
      let round = 0;
      while (writing && round < 200) {
        await produce(topic, history(200, 100, `during-${round++}`));
      }
      return round;
    })();
    const manifest = await backupTopic({ kafka, topic, s3, segmentBytes: 16_384 });
    writing = false;
    expect(await writer).toBeGreaterThan(0);

    // The snapshot: the topic read independently up to the manifest's captured offsets.
    const snapshot = new Map<string, string>();
    let count = 0;
    const ranges = manifest.partitions.map((p) => ({
      partition: p.partition,
      start: BigInt(p.startOffset),
      end: BigInt(p.endOffset),
    }));
    await readToOffsets(kafka, topic, ranges, {
      onBatch: (_p, messages) => {
        for (const m of messages) {
          count++;
          if (m.value === null) snapshot.delete(m.key!.toString());
          else snapshot.set(m.key!.toString(), m.value.toString());
        }
      },
    });
    expect(manifest.totalRecords).toBe(count);
    for (const p of manifest.partitions)
      expect(p.records).toBe(Number(BigInt(p.endOffset) - BigInt(p.startOffset)));
    await restoreBackup({ kafka, topic, targetTopic: target, backupId: manifest.backupId, s3 });
    expect(await stateOf(target)).toEqual(snapshot);
  });
});

describe('reading to captured offsets', () => {
  it('with seekToStart reads only the records from each range start on (restore reads just the tail for its final check)', async () => {
    const topic = await createTestTopic('bk-tail', compact);
    await produce(topic, history(300, 300, 'old'));
    const admin = kafka.admin();
    await admin.connect();
    const first = await captureOffsets(admin, topic);
    await produce(topic, history(40, 40, 'new'));
    const now = await captureOffsets(admin, topic);
    await admin.disconnect();
    const seen: string[] = [];
    const tail = now.map((r) => ({ ...r, start: first.find((f) => f.partition === r.partition)!.end }));
    await readToOffsets(kafka, topic, tail, {
      seekToStart: true,
      onBatch: (_p, messages) => {
        for (const m of messages)
          seen.push(m.value === null ? 'tombstone' : JSON.parse(m.value.toString()).tag);
      },
    });
    // 40 values and 6 tombstones, nothing of the 300 older records.
    expect(seen).toHaveLength(46);
    expect(new Set(seen)).toEqual(new Set(['new', 'tombstone']));
  });

  it('finishes when records below the captured end are deleted before they are read', async () => {
    const topic = await createTestTopic('bk-deleted', { partitions: 1 });
    await produce(
      topic,
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    );
    const admin = kafka.admin();
    await admin.connect();
    const ranges = await captureOffsets(admin, topic);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '50' }] });
    await admin.disconnect();
    let seen = 0;
    await readToOffsets(kafka, topic, ranges, {
      stallTimeoutMs: 3000,
      onBatch: (_p, m) => {
        seen += m.length;
      },
    });
    expect(seen).toBe(0);
  });
});

describe('a backup next to an open transaction', () => {
  it('ends at the last stable offset: no part of an undecided transaction, and no waiting for it', async () => {
    const topic = await createTestTopic('bk-txn', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    const s3 = await testLocation('primary');
    await produce(
      topic,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'committed' })),
    );
    const producer = kafka.producer({
      transactionalId: `bk-txn-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({
      topic,
      acks: -1,
      messages: [
        { key: 'k0', value: 'open-1' },
        { key: 'k1', value: 'open-2' },
      ],
    });
    try {
      const manifest = await backupTopic({ kafka, topic, s3 });
      expect(manifest.partitions[0]).toMatchObject({ endOffset: '20', records: 20 });
      expect(manifest.stateKeys).toBe(20);
    } finally {
      await txn.commit();
      await producer.disconnect();
    }
  });
});
