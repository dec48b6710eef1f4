import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { backupTopic, restoreBackup } from '@labeldocs/s3-backup';
import { createTestTopic, testEnv } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, endOffsetSum, history, kafka, produce, stateOf, testLocation } from './helpers.js';

describe('a restore killed midway', () => {
  it('converges to the exact backed-up state when run again', async () => {
    const topic = await createTestTopic('bk-crash', compact);
    const s3 = await testLocation('primary');
    await produce(topic, history(3000, 3000));
    const expected = await stateOf(topic);
    const manifest = await backupTopic({ kafka, topic, s3 });
    // Tombstone everything so the restore has thousands of keys to produce.
    await produce(
      topic,
      [...expected.keys()].map((key) => ({ key, value: null })),
    );
    const beforeRestore = await endOffsetSum(topic);

    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, 'fixtures/restore-child.ts'),
        JSON.stringify({
          brokers: testEnv().kafkaBrokers,
          topic,
          backupId: manifest.backupId,
          s3,
          batchSize: 20,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exit = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill it once it has produced a few batches: a real crash with records already acknowledged.
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      child.on('exit', (code) => reject(new Error(`the restore child exited early with code ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line === 'done') reject(new Error('the restore finished before it could be killed'));
          else if (line.startsWith('{') && ++seen === 5) {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
    });
    expect(await exit).toBe('SIGKILL');
    const partial = await stateOf(topic);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(expected.size);
    expect(await endOffsetSum(topic)).toBeGreaterThan(beforeRestore);

    const rerun = await restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
    expect(rerun.counts.create).toBe(expected.size - partial.size);
    expect(rerun.stateHash).toBe(manifest.stateHash);
    expect(await stateOf(topic)).toEqual(expected);
  });
});
