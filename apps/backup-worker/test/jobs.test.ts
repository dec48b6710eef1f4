import { createTestTopic } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { enqueue } from '../src/index.js';
import { finished, produce, records, startWorker, workerEnv } from './helpers.js';

const compact = { partitions: 2, config: { 'cleanup.policy': 'compact' } };

describe('backup-worker jobs', () => {
  it('backs up, replicates and verifies, then restores from the replica after a dry run', async () => {
    const topic = await createTestTopic('bw-src', compact);
    const target = await createTestTopic('bw-dst', compact);
    await produce(topic, records(300, 'v', 100));
    await produce(target, [{ key: 'only_InTarget', value: 'x' }]);
    const app = await startWorker(await workerEnv({ BACKUP_TOPICS: topic, PRODUCTION_TOPICS: target }));
    const { queue } = app;

    const backup = await finished(queue, (await enqueue(queue, 'backup', { topic })).id!);
    expect(backup.returnvalue).toMatchObject({ records: 300, stateKeys: 100 });
    expect(backup.progress).toMatchObject({ phase: 'backup', records: 300, total: 300 });
    const { backupId } = backup.returnvalue as { backupId: string };
    expect((await finished(queue, `replicate|${topic}|${backupId}`)).returnvalue).toMatchObject({
      status: 'replicated',
    });
    expect((await finished(queue, `verify|${topic}|${backupId}|primary`)).returnvalue).toMatchObject({
      ok: true,
    });
    expect((await finished(queue, `verify|${topic}|${backupId}|replica`)).returnvalue).toMatchObject({
      ok: true,
    });
    expect((await app.http.inject('/metrics')).body).toMatch(
      new RegExp(`labeldocs_backup_last_success_age_seconds\\{topic="${topic}",app="backup-worker"\\} \\d`),
    );

    const restore = { topic, backupId, targetTopic: target, source: 'replica' } as const;
    const dry = await finished(queue, (await enqueue(queue, 'restore', { ...restore, dryRun: true })).id!);
    expect(dry.returnvalue).toMatchObject({ dryRun: true, counts: { create: 100, change: 0, delete: 1 } });

    const refused = await finished(queue, (await enqueue(queue, 'restore', restore)).id!);
    expect(refused.failedReason).toMatch(/production topic .* needs confirmProduction/);
    expect(refused.attemptsMade).toBe(1);

    const applied = await finished(
      queue,
      (await enqueue(queue, 'restore', { ...restore, confirmProduction: true, source: 'primary' })).id!,
    );
    expect(applied.returnvalue).toMatchObject({ produced: 101, stateHash: expect.any(String) });
  });

  it('fails a job for a missing backup once, without retrying, naming the manifest', async () => {
    const topic = await createTestTopic('bw-missing', compact);
    const app = await startWorker(await workerEnv({ BACKUP_TOPICS: topic }));
    const job = await finished(
      app.queue,
      (await enqueue(app.queue, 'verify', { topic, backupId: 'nope' })).id!,
    );
    expect(job.failedReason).toMatch(
      /BACKUP_MANIFEST_MISSING: manifest s3:\/\/.*\/nope\/manifest.json is missing/,
    );
    expect(job.attemptsMade).toBe(1);
    const invalid = await finished(app.queue, (await app.queue.add('restore', { topic })).id!);
    expect(invalid.failedReason).toMatch(/invalid restore job: backupId/);
  });

  it('never runs two restores of one topic at once, and deduplicates backup requests', async () => {
    const topic = await createTestTopic('bw-lock', compact);
    await produce(topic, records(2000, 'v', 1000));
    const app = await startWorker(await workerEnv({ BACKUP_TOPICS: topic, WORKER_CONCURRENCY: '2' }));
    const { queue } = app;
    const first = await enqueue(queue, 'backup', { topic });
    const again = await enqueue(queue, 'backup', { topic });
    expect(again.id).toBe(first.id);
    const { backupId } = (await finished(queue, first.id!)).returnvalue as { backupId: string };

    await finished(queue, `replicate|${topic}|${backupId}`);
    const a = await enqueue(queue, 'restore', { topic, backupId, source: 'primary' });
    const b = await enqueue(queue, 'restore', { topic, backupId, source: 'replica' });
    const [ja, jb] = [await finished(queue, a.id!), await finished(queue, b.id!)];
    expect([await ja.getState(), await jb.getState()]).toEqual(['completed', 'completed']);
    const [early, late] = [ja, jb].sort((x, y) => x.processedOn! - y.processedOn!);
    expect(late!.processedOn!).toBeGreaterThanOrEqual(early!.finishedOn!);
  });

  it('fires scheduled backups from the job scheduler', async () => {
    const topic = await createTestTopic('bw-sched', compact);
    await produce(topic, records(10));
    const app = await startWorker(
      await workerEnv({
        BACKUP_TOPICS: topic,
        SCHEDULES_ENABLED: '1',
        BACKUP_CRON: 'every:1000',
        PRUNE_CRON: 'every:3600000',
      }),
    );
    const schedulers = await app.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual([`backup:${topic}`, 'prune', 'sweep']);
    const deadline = Date.now() + 30_000;
    let done: Array<{ name: string }> = [];
    const names = () => new Set(done.map((j) => j.name));
    while (Date.now() < deadline && !(names().has('backup') && names().has('prune'))) {
      await new Promise((r) => setTimeout(r, 300));
      done = await app.queue.getCompleted();
    }
    expect([...names()]).toEqual(expect.arrayContaining(['backup', 'prune']));
  });
});
