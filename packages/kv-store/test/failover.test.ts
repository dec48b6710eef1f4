import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { testEnv } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Change } from '../src/index.js';
import { type Doc, eventually, freshTopic, openStore } from './helpers.js';

describe('writer failover', () => {
  it('when a writing process is SIGKILLed, another instance takes its partitions over and no acknowledged write is lost', async () => {
    const topic = freshTopic('failover');
    const survivor = await openStore(topic);
    const log: Change<Doc>[] = [];
    survivor.subscribe((c) => log.push(c));

    const child = spawn(
      process.execPath,
      [
        new URL('./fixtures/writer-child.ts', import.meta.url).pathname,
        testEnv().kafkaBrokers.join(','),
        topic,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    onTestFinished(() => void child.kill('SIGKILL'));
    const childAcks: Array<{ key: string; version: number; n: number }> = [];
    let childReady = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, key, version, n] = line.split(' ');
      if (kind === 'ready') childReady = true;
      if (kind === 'ack') childAcks.push({ key: String(key), version: Number(version), n: Number(n) });
    });
    await eventually(() => childReady, 'child store ready', 30_000);
    // Keep writing from the survivor while the child writes; once the group settles both own partitions.
    const mine: Array<{ key: string; version: number; n: number }> = [];
    let n = 1_000_000;
    const writeSome = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const key = `k${n % 6}`;
        mine.push({ key, n, version: (await survivor.put(key, { n, by: 'survivor' })).version });
      }
    };
    await eventually(() => childAcks.length >= 40, 'child acknowledged writes', 30_000);
    await writeSome(10);
    await eventually(() => survivor.metrics.ownedPartitions < 3, 'the child owns partitions', 30_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const acked = [...childAcks, ...mine];
    // Writes to partitions the dead child owned wait for the session timeout, then the survivor fences and takes over.
    await writeSome(12);
    expect(survivor.metrics.ownedPartitions).toBe(3);

    const fresh = await openStore(topic, { readOnly: true });
    expect(new Map(fresh.snapshot())).toEqual(new Map(survivor.snapshot()));
    for (const key of new Set(acked.map((a) => a.key))) {
      const versions = log.filter((c) => c.key === key).map((c) => c.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    for (const ack of acked) {
      const change = log.find((c) => c.key === ack.key && c.version === ack.version);
      expect(change?.current?.value.n).toBe(ack.n);
    }
  }, 120_000);
});
