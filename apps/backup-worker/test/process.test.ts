import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { listBackups } from '@labeldocs/s3-backup';
import { createTestTopic } from '@labeldocs/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createQueue, enqueue, loadEnv, s3Locations } from '../src/index.js';
import { finished, produce, records, startWorker, workerEnv } from './helpers.js';

const dist = join(import.meta.dirname, '../dist');
const compact = { partitions: 2, config: { 'cleanup.policy': 'compact' } };

function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [join(dist, script), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  return Object.assign(child, { output: () => output });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });

const exitSignal = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.on('exit', (_code, signal) => resolve(signal));
  });

describe('backup-worker processes', () => {
  it('a worker SIGKILLed between writing a manifest and enqueueing its follow-ups: a restarted worker replicates and verifies that backup on its own', async () => {
    const topic = await createTestTopic('bw-kill', compact);
    await produce(topic, records(300, 'v', 100));
    const env = await workerEnv({ BACKUP_TOPICS: topic, PORT: '0', LOG_LEVEL: 'warn' });
    // The hook makes the real worker process send itself SIGKILL right after the manifest's PUT returned.
    const doomed = run('server.js', [], { ...env, TEST_KILL_AFTER_MANIFEST: '1' });
    const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = createQueue(loadEnv(env), connection);
    onTestFinished(async () => {
      await queue.close();
      connection.disconnect();
    });
    await enqueue(queue, 'backup', { topic });
    expect(await exitSignal(doomed)).toBe('SIGKILL');

    const s3 = s3Locations(loadEnv(env));
    const [backup, ...others] = await listBackups({ s3: s3.primary, topic });
    expect(others).toEqual([]);
    expect(backup).toMatchObject({ status: 'complete', totalRecords: 300, stateKeys: 100 });
    expect(backup!.replication).toBeUndefined();
    const { backupId } = backup!;
    expect(await queue.getJob(`replicate|${topic}|${backupId}`)).toBeUndefined();
    expect(await listBackups({ s3: s3.replica, topic })).toEqual([]);

    // Nobody enqueues anything: starting a worker is all it takes.
    const app = await startWorker(env);
    const replicated = await finished(app.queue, `replicate|${topic}|${backupId}`, 90_000);
    expect(replicated.returnvalue).toMatchObject({ status: 'replicated', backupId });
    for (const source of ['primary', 'replica'])
      expect(
        (await finished(app.queue, `verify|${topic}|${backupId}|${source}`, 90_000)).returnvalue,
      ).toMatchObject({ ok: true, records: 300 });
    const there = (await listBackups({ s3: s3.replica, topic })).find((b) => b.backupId === backupId);
    expect(there).toMatchObject({ status: 'complete', totalRecords: 300 });
  });

  it('on SIGTERM abandons a running backup safely, exits 0, and a restarted worker completes it', async () => {
    const topic = await createTestTopic('bw-term', compact);
    await produce(topic, records(25_000, 'v'));
    const env = await workerEnv({ BACKUP_TOPICS: topic, PORT: '0', LOG_LEVEL: 'warn' });
    const server = run('server.js', [], env);
    // The worker runs in the child; this in-process app only holds a queue handle until the restart.
    const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = createQueue(loadEnv(env), connection);
    onTestFinished(async () => {
      await queue.close();
      connection.disconnect();
    });
    const job = await enqueue(queue, 'backup', { topic });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && typeof (await queue.getJob(job.id!))?.progress !== 'object')
      await new Promise((r) => setTimeout(r, 50));
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    const afterStop = (await queue.getJob(job.id!))!;
    const state = await afterStop.getState();
    // Abandoned (to be retried) or, if it won the race, finished; never left active with nobody on it.
    expect(['delayed', 'waiting', 'completed']).toContain(state);
    if (state !== 'completed') expect(afterStop.failedReason).toMatch(/aborted/);

    const app = await startWorker(env);
    const done = await finished(app.queue, job.id!);
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toMatchObject({ records: 25_000 });
  });

  it('the ops CLI enqueues, follows to completion, lists, and guards production restores', async () => {
    const topic = await createTestTopic('bw-cli', compact);
    await produce(topic, records(500, 'v', 50));
    const env = await workerEnv({ BACKUP_TOPICS: topic, PRODUCTION_TOPICS: topic });
    await startWorker(env);

    const backup = run('ops-cli.js', ['backup', topic], env);
    expect(await exited(backup)).toBe(0);
    expect(backup.output()).toMatch(/enqueued backup job/);
    expect(backup.output()).toMatch(/completed: [\s\S]*"records": 500/);
    const backupId = /"backupId": "([^"]+)"/.exec(backup.output())![1]!;

    // Both only read: run them side by side.
    const list = run('ops-cli.js', ['list', topic], env);
    const unconfirmed = run('ops-cli.js', ['restore', topic, backupId], env);
    expect(await exited(list)).toBe(0);
    expect(list.output()).toContain(backupId);
    expect(await exited(unconfirmed)).toBe(2);
    expect(unconfirmed.output()).toMatch(/production topic: add --confirm-production/);

    const dry = run('ops-cli.js', ['restore', topic, 'latest', '--dry-run'], env);
    expect(await exited(dry)).toBe(0);
    expect(dry.output()).toMatch(/"counts": \{\s*"create": 0,\s*"change": 0,\s*"delete": 0/);
    expect(dry.output()).toContain('"dryRun": true');

    const confirmed = run(
      'ops-cli.js',
      ['restore', topic, backupId, '--confirm-production', '--source', 'replica'],
      env,
    );
    expect(await exited(confirmed)).toBe(0);
    expect(confirmed.output()).toMatch(/"produced": 0/);
  });
});
