import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { testEnv } from '@labeldocs/testkit';
import type { Consumer } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Change, KafkaKeyValueStore, KvLogger } from '../src/index.js';
import { changesOfFreshInstance, type Doc, eventually, freshTopic, openStore } from './helpers.js';

interface Ack {
  key: string;
  version: number;
  n: number;
}

/** A real store in a child process that writes unconditionally to k0..k5 and reports every acknowledgement. */
async function spawnWriter(topic: string): Promise<{ child: ChildProcess; acks: Ack[] }> {
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
  const acks: Ack[] = [];
  let ready = false;
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const [kind, key, version, n] = line.split(' ');
    if (kind === 'ready') ready = true;
    if (kind === 'ack') acks.push({ key: String(key), version: Number(version), n: Number(n) });
  });
  await eventually(() => ready, 'child store ready', 30_000);
  return { child, acks };
}

function writer(store: KafkaKeyValueStore<Doc>, acks: Ack[]) {
  let n = 1_000_000;
  return async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      n += 1;
      const key = `k${n % 6}`;
      acks.push({ key, n, version: (await store.put(key, { n, by: 'survivor' })).version });
    }
  };
}

/** Per key the log holds versions 1..N once each, and every acknowledged write is the value at its version. */
function expectConsistent(log: Change<Doc>[], acked: Ack[]): void {
  for (const key of new Set(acked.map((a) => a.key))) {
    const versions = log.filter((c) => c.key === key).map((c) => c.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  }
  for (const ack of acked) {
    const change = log.find((c) => c.key === ack.key && c.version === ack.version);
    expect(change?.current?.value.n).toBe(ack.n);
  }
}

describe('writer failover', () => {
  it('when a writing process is SIGKILLed, another instance takes its partitions over and no acknowledged write is lost', async () => {
    const topic = freshTopic('failover');
    const survivor = await openStore(topic);
    const log: Change<Doc>[] = [];
    survivor.subscribe((c) => log.push(c));
    const { child, acks: childAcks } = await spawnWriter(topic);
    const mine: Ack[] = [];
    const writeSome = writer(survivor, mine);
    await eventually(() => childAcks.length >= 40, 'child acknowledged writes', 30_000);
    await writeSome(10);
    await eventually(() => survivor.metrics.ownedPartitions < 3, 'the child owns partitions', 30_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const acked = [...childAcks, ...mine];
    // Writes to the dead child's partitions wait for the session timeout, then the survivor fences and takes over.
    await writeSome(12);
    expect(survivor.metrics.ownedPartitions).toBe(3);

    const fresh = await openStore(topic, { readOnly: true });
    expect(new Map(fresh.snapshot())).toEqual(new Map(survivor.snapshot()));
    expectConsistent(log, [...acked, ...mine.slice(10)]);
  }, 120_000);

  it('a paused writer (SIGSTOP) is fenced: after it resumes, nothing it decided while stale is committed', async () => {
    const topic = freshTopic('zombie');
    const survivor = await openStore(topic);
    const log: Change<Doc>[] = [];
    survivor.subscribe((c) => log.push(c));
    const { child, acks: childAcks } = await spawnWriter(topic);
    const mine: Ack[] = [];
    const writeSome = writer(survivor, mine);
    await eventually(
      () => survivor.metrics.ownedPartitions < 3 && childAcks.length >= 40,
      'child owns and writes',
      30_000,
    );

    // Frozen mid-stream, most likely inside a transaction: its session expires and the survivor takes over.
    child.kill('SIGSTOP');
    await writeSome(12);
    expect(survivor.metrics.ownedPartitions).toBe(3);
    child.kill('SIGCONT');
    // The zombie's open transaction was aborted by the fence; it must rejoin and then write correctly again.
    const resumedAt = childAcks.length;
    await eventually(() => childAcks.length >= resumedAt + 20, 'the resumed child writes again', 90_000);
    await writeSome(6);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const fresh = await openStore(topic, { readOnly: true });
    await eventually(() => fresh.size === survivor.size, 'fresh instance has every key');
    expect(new Map(fresh.snapshot())).toEqual(new Map(survivor.snapshot()));
    expectConsistent(log, [...childAcks, ...mine]);
  }, 150_000);

  it('a zombie writer that missed the rebalance has its write outside a transaction refused once the new owner fenced the partition; the write goes through the new owner', async () => {
    const topic = freshTopic('zombie-local');
    const refused: unknown[] = [];
    const logger: KvLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields, message) => {
        if (String(message).includes('outside a transaction') && (fields as { fenced?: boolean }).fenced)
          refused.push(fields);
      },
      error: () => undefined,
    };
    const zombie = await openStore(topic, { logger });
    expect((await zombie.put('k', { n: 1 })).version).toBe(1); // through the topic: becomes k's writer
    expect((await zombie.put('k', { n: 2 }, { expectedVersion: 1 })).version).toBe(2); // local, outside a txn
    expect(refused).toEqual([]);

    // Fault: its group membership ends without it noticing (as for a process paused past its session), so it
    // still believes it writes k's partition while another instance takes every partition over.
    const writers = (zombie as unknown as { writers: { consumer: Consumer } }).writers;
    await writers.consumer.disconnect();
    const owner = await openStore(topic);
    // The new owner's first command of k's partition makes it fence the partition. A rejected one: it writes
    // nothing to the state partition, so only the fence's markers can have told it the new epoch.
    await expect(owner.put('k', { n: 9 }, { expectedVersion: 7 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
      currentVersion: 2,
    });

    // The zombie decides locally and writes outside a transaction under its old epoch: refused by the partition
    // leader, nothing written; the write is re-sent through the commands topic and the new owner decides it.
    expect((await zombie.put('k', { n: 3 }, { expectedVersion: 2 })).version).toBe(3);
    expect(refused).toHaveLength(1);
    await eventually(() => owner.get('k')?.version === 3, 'the new owner applied it');
    expect((await changesOfFreshInstance(topic)).map((c) => [c.version, c.current?.value.n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });
});
