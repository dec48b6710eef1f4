import {
  type BackupListing,
  backupTopic,
  listBackups,
  newBackupId,
  pruneBackups,
  selectForDeletion,
  verifyBackup,
} from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { history, kafka, produce, testLocation } from './helpers.js';

const DAY = 86_400_000;
const now = new Date('2026-03-01T12:00:00Z');

const listings = fc
  .array(fc.record({ ageMs: fc.nat(30 * DAY), complete: fc.boolean(), verified: fc.boolean() }), {
    maxLength: 30,
  })
  .map((items) =>
    items
      .map((it, i): BackupListing => {
        const at = new Date(now.getTime() - it.ageMs - i);
        return {
          backupId: newBackupId(at, i / 100),
          topic: 't',
          status: it.complete ? 'complete' : 'incomplete',
          ...(it.complete ? { createdAt: at.toISOString() } : {}),
          ...(it.complete && it.verified
            ? {
                verification: {
                  ok: true,
                  verifiedAt: '',
                  backupId: '',
                  topic: 't',
                  records: 0,
                  stateKeys: 0,
                },
              }
            : {}),
        };
      })
      .sort((a, b) => (a.backupId < b.backupId ? 1 : -1)),
  );

describe('retention', () => {
  it('keeps the last N, one a day for D days and the newest verified, for every history', () => {
    fc.assert(
      fc.property(listings, fc.integer({ min: 1, max: 5 }), fc.nat(10), (all, keepLast, days) => {
        const doomed = new Set(selectForDeletion(all, { keepLast, keepDailyDays: days }, now));
        const complete = all.filter((l) => l.status === 'complete');
        for (const l of complete.slice(0, keepLast)) expect(doomed.has(l.backupId)).toBe(false);
        const newestVerified = complete.find((l) => l.verification?.ok);
        if (newestVerified) expect(doomed.has(newestVerified.backupId)).toBe(false);
        const dailyKept = new Set(
          complete
            .filter((l) => !doomed.has(l.backupId) && now.getTime() - Date.parse(l.createdAt!) <= days * DAY)
            .map((l) => l.createdAt!.slice(0, 10)),
        );
        for (const l of complete)
          if (now.getTime() - Date.parse(l.createdAt!) <= days * DAY)
            expect(dailyKept.has(l.createdAt!.slice(0, 10))).toBe(true);
      }),
    );
  });

  it('prunes real backups newest first, sparing the newest verified one', async () => {
    const topic = await createTestTopic('bk-prune', {
      partitions: 1,
      config: { 'cleanup.policy': 'compact' },
    });
    const s3 = await testLocation('primary');
    await produce(topic, history(5, 10));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (await backupTopic({ kafka, topic, s3, backupId: newBackupId(new Date(Date.UTC(2026, 0, 1 + i))) }))
          .backupId,
      );
    expect((await verifyBackup({ s3, topic, backupId: ids[1]! })).ok).toBe(true);
    expect((await listBackups({ s3, topic })).map((l) => l.backupId)).toEqual([...ids].reverse());

    const { deleted } = await pruneBackups({ s3, topic, policy: { keepLast: 1, keepDailyDays: 0 } });
    expect(deleted.sort()).toEqual([ids[0], ids[2]].sort());
    expect((await listBackups({ s3, topic })).map((l) => l.backupId)).toEqual([ids[3], ids[1]]);
    await expect(pruneBackups({ s3, topic, policy: { keepLast: 0, keepDailyDays: 1 } })).rejects.toThrow(
      /policy.keepLast/,
    );
  });
});
