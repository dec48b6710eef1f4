import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import {
  type ChangelogEntry,
  changelogKeyOwner,
  isChangelogKey,
  KvInvalidKeyError,
  KvInvalidValueError,
} from '../src/index.js';
import { type Doc, existingTopic, freshTopic, openStore, recordsOf } from './helpers.js';

async function endOffsets(topic: string): Promise<number> {
  const admin = createTestKafka().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function topicConfig(topic: string): Promise<Map<string, string>> {
  const admin = createTestKafka().admin();
  await admin.connect();
  try {
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    });
    return new Map(result.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('writes, errors and lifecycle', () => {
  it('an invalid value fails with KV_INVALID_VALUE naming the field, before anything is produced', async () => {
    const topic = freshTopic('invalid');
    const store = await openStore(topic);
    const before = await endOffsets(`${topic}.commands`);
    const error = await store.put('k', { n: 1.5 } as Doc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KvInvalidValueError);
    expect((error as KvInvalidValueError).code).toBe('KV_INVALID_VALUE');
    expect((error as KvInvalidValueError).errors).toEqual([{ path: 'n', message: 'expected an integer' }]);
    expect(await endOffsets(`${topic}.commands`)).toBe(before);
    expect(store.get('k')).toBeUndefined();
  });

  it('writes after close() fail with KV_CLOSED and close() is idempotent', async () => {
    const store = await openStore(freshTopic('closed'));
    await store.put('k', { n: 1 });
    const first = store.close();
    expect(store.close()).toBe(first);
    await first;
    await expect(store.put('k', { n: 2 })).rejects.toMatchObject({ code: 'KV_CLOSED', retryable: false });
    await expect(store.delete('k')).rejects.toMatchObject({ code: 'KV_CLOSED' });
    expect(() => store.get('k')).toThrowError(expect.objectContaining({ code: 'KV_CLOSED' }));
    await store.close();
  });

  it('a delete of an absent key is a no-op returning 0; a conditional delete of an absent key conflicts', async () => {
    const store = await openStore(freshTopic('noop'));
    expect(await store.delete('missing')).toBe(0);
    await expect(store.delete('missing', { expectedVersion: 3 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
      currentVersion: 0,
    });
  });

  it('a read-only follower reads and subscribes but refuses writes and creates no companion topics', async () => {
    const topic = freshTopic('ro');
    const writer = await openStore(topic);
    await writer.put('k', { n: 1 });
    const follower = await openStore(`${topic}`, { readOnly: true });
    expect(follower.get('k')).toEqual({ value: { n: 1 }, version: 1 });
    await expect(follower.put('k', { n: 2 })).rejects.toMatchObject({ code: 'KV_READ_ONLY' });
    expect(follower.metrics.ownedPartitions).toBe(0);

    const lonely = freshTopic('ro-only');
    await openStore(lonely, { readOnly: true });
    const admin = createTestKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toContain(lonely);
    expect(topics).not.toContain(`${lonely}.commands`);
    expect(topics).not.toContain(`${lonely}.replies`);
  });

  it('a created topic has the compact config; a delete-policy topic is refused and left unchanged', async () => {
    const topic = freshTopic('created');
    await openStore(topic, { minInsyncReplicas: 1, topicConfig: { 'segment.ms': '600000' } });
    const config = await topicConfig(topic);
    expect(config.get('cleanup.policy')).toBe('compact');
    expect(config.get('min.insync.replicas')).toBe('1');
    expect(config.get('segment.ms')).toBe('600000');
    expect((await topicConfig(`${topic}.commands`)).get('cleanup.policy')).toBe('delete');

    const deleting = await existingTopic('delete-policy', { 'cleanup.policy': 'delete' });
    const refused = await openStore(deleting, {}, false);
    await expect(refused.start()).rejects.toMatchObject({
      code: 'KV_TOPIC_MISCONFIGURED',
      setting: 'cleanup.policy',
      value: 'delete',
    });
    await expect(refused.ready()).rejects.toMatchObject({ code: 'KV_TOPIC_MISCONFIGURED' });
    expect((await topicConfig(deleting)).get('cleanup.policy')).toBe('delete');

    const finite = await existingTopic('compact-delete', {
      'cleanup.policy': 'compact,delete',
      'retention.ms': '86400000',
    });
    await expect((await openStore(finite, {}, false)).start()).rejects.toMatchObject({
      code: 'KV_TOPIC_MISCONFIGURED',
      setting: 'retention.ms',
      value: '86400000',
    });
  });

  it('every accepted write, and only those, writes one change event into the state topic, in its record batch; readers skip events', async () => {
    const topic = freshTopic('cl');
    const encode = (c: ChangelogEntry<Doc>) => Buffer.from(JSON.stringify(c));
    const store = await openStore(topic, { changelog: { encode } });
    const live: string[] = [];
    store.subscribeChangelog((r) => live.push(`${r.key}@${r.version}`));
    await store.put('k', { n: 1 }, { meta: { actor: 'ana', reason: 'first' } });
    // The writer hands its own event to subscribers when the write is acknowledged, before put() resolves.
    expect(live).toEqual(['k@1']);
    await store.put('k', { n: 2 }, { expectedVersion: 1 });
    await expect(store.put('k', { n: 3 }, { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
    });
    await store.delete('k');
    await store.put('other', { n: 7 });

    const records = await recordsOf(topic);
    const events = records.filter((r) => isChangelogKey(r.key));
    // Three accepted writes of k and one of other; the conflict wrote nothing.
    expect(events.map((r) => changelogKeyOwner(r.key)).sort()).toEqual(['k', 'k', 'k', 'other']);
    const kEvents = events
      .filter((r) => changelogKeyOwner(r.key) === 'k')
      .map((r) => JSON.parse(String(r.value)) as ChangelogEntry<Doc>);
    expect(kEvents.map((e) => [e.version, e.previous?.value.n, e.current?.value.n, e.meta.actor])).toEqual([
      [1, undefined, 1, 'ana'],
      [2, 1, 2, undefined],
      [3, 2, undefined, undefined],
    ]);
    // Each event sits in its state record's partition, right after it (one record batch per local write).
    for (const event of events) {
      const owner = changelogKeyOwner(event.key);
      const state = records.find((r) => r.partition === event.partition && r.offset === event.offset - 1);
      expect(state?.key.toString()).toBe(owner);
    }
    expect((await topicConfig(topic)).get('cleanup.policy')).toBe('compact');

    // Readers keep only state: the writing instance and a fresh one. Each event reaches subscribers once.
    expect([...store.keys()]).toEqual(['other']);
    const fresh = await openStore(topic, { readOnly: true }, false);
    const replayed: string[] = [];
    fresh.subscribeChangelog((r) => replayed.push(`${r.key}@${JSON.parse(String(r.value)).version}`));
    await fresh.start();
    expect([...fresh.keys()]).toEqual(['other']);
    expect(live.sort()).toEqual(['k@1', 'k@2', 'k@3', 'other@1']);
    expect(replayed.sort()).toEqual(live);
    expect(fresh.get('other')).toEqual({ value: { n: 7 }, version: 1 });
  });

  it('a key starting with U+0000 (reserved for change events) is refused with KV_INVALID_KEY before anything is produced', async () => {
    const topic = freshTopic('reserved-key');
    const store = await openStore(topic, { partitions: 1 });
    const before = await endOffsets(topic);
    await expect(store.put('\u0000k', { n: 1 })).rejects.toMatchObject({
      code: 'KV_INVALID_KEY',
      key: '\u0000k',
    });
    await expect(store.delete('\u0000k')).rejects.toBeInstanceOf(KvInvalidKeyError);
    expect(await endOffsets(topic)).toBe(before);
    expect(await endOffsets(`${topic}.commands`)).toBe(0);
  });

  it('a burst of 40 concurrent 60 KB writes (2.4 MB) is fully applied', async () => {
    const store = await openStore(freshTopic('burst'), { partitions: 1 });
    const big = 'x'.repeat(60_000);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.put(`big${i}`, { n: i, by: big })),
    );
    expect(results.map((r) => r.version)).toEqual(results.map(() => 1));
    expect(store.size).toBe(40);
    expect(store.get('big39')?.value.by?.length).toBe(60_000);
  });

  it('close() during a start() blocked on an unreachable broker ends the start with KV_CLOSED', async () => {
    const store = await openStore(freshTopic('unreachable'), { brokers: ['127.0.0.1:1'] }, false);
    const starting = store.start();
    const ready = store.ready();
    await store.close();
    await expect(starting).rejects.toMatchObject({ code: 'KV_CLOSED' });
    await expect(ready).rejects.toMatchObject({ code: 'KV_CLOSED' });
    expect(store.isReady).toBe(false);
  });

  it('a changelog encoder that throws rejects that write with KV_INVALID_VALUE and the partition keeps working', async () => {
    const topic = freshTopic('cl-throw');
    const encode = (c: ChangelogEntry<Doc>) => {
      if (c.current?.value.n === 13) throw new Error('unlucky');
      return Buffer.from(JSON.stringify(c));
    };
    const store = await openStore(topic, { partitions: 1, changelog: { encode } });
    await expect(store.put('k', { n: 13 })).rejects.toMatchObject({
      code: 'KV_INVALID_VALUE',
      errors: [{ path: '(root)', message: 'the changelog encoder failed' }],
    });
    expect(store.get('k')).toBeUndefined();
    expect((await store.put('k', { n: 14 })).version).toBe(1);
  });
});
