import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createTestKafka, testEnv } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Publisher, type PublisherOptions, type PublisherTopics, republishOnce } from '../src/index.js';
import {
  createTopic,
  createTopics,
  docRecord,
  eventually,
  latestPerKey,
  quietLogger,
  readPublic,
  sourceWriter,
  testMetrics,
  trackedRecord,
} from './helpers.js';

function publisherFor(topics: PublisherTopics, overrides: Partial<PublisherOptions> = {}) {
  const { registry, metrics } = testMetrics();
  const publisher = new Publisher({
    kafka: createTestKafka(),
    topics,
    consumerGroup: `pp-group-${randomUUID()}`,
    transactionalId: `pp-txn-${randomUUID()}`,
    restartBackoffMs: 100,
    metrics,
    logger: quietLogger(),
    ...overrides,
  });
  onTestFinished(() => publisher.close());
  return { publisher, registry };
}

async function publicCount(topic: string, n: number) {
  await eventually(async () => (await readPublic(topic)).length >= n, `${n} public records`);
  return readPublic(topic);
}

describe('publisher', () => {
  it('joins both sources, publishes only real changes, and tombstones deleted labels', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    await writer.write([
      { side: 'labels', key: 'san_SearchTerm', value: docRecord('san_SearchTerm'), version: 1 },
      { side: 'tracked', key: 'san_SearchTerm', value: trackedRecord('san_SearchTerm') },
      { side: 'tracked', key: 'nav_Menu', value: trackedRecord('nav_Menu') },
      { side: 'labels', key: 'chk_Total', value: docRecord('chk_Total'), version: 1 },
    ]);
    const { publisher, registry } = publisherFor(topics);
    publisher.start();
    await publisher.ready();
    let entries = await readPublic(topics.public);
    expect(entries).toHaveLength(3);
    const state = latestPerKey(entries);
    expect(state.get('nav_Menu')?.documentation).toEqual({ state: 'missing' });
    expect(state.get('chk_Total')?.tracking).toEqual({ state: 'untracked' });
    expect(state.get('san_SearchTerm')).toMatchObject({
      name: 'san_SearchTerm',
      group: 'san',
      documentation: { state: 'documented', version: 1, ownerTeam: 'search' },
      tracking: { state: 'tracked', valueTypes: ['string'] },
    });

    // internal-only edit: tags and editor change, version bumps; nothing public changes
    await writer.write([
      {
        side: 'labels',
        key: 'san_SearchTerm',
        value: docRecord('san_SearchTerm', { tags: ['core'], updatedBy: 'bob' }),
        version: 2,
      },
    ]);
    // a public edit afterwards proves the internal one was consumed before it
    await writer.write([
      {
        side: 'labels',
        key: 'san_SearchTerm',
        value: docRecord('san_SearchTerm', {
          description: 'the search term typed',
          updatedAt: '2026-11-02T00:00:00.000Z',
        }),
        version: 3,
      },
    ]);
    entries = await publicCount(topics.public, 4);
    expect(entries).toHaveLength(4);
    expect(entries[3]!.value?.documentation).toMatchObject({
      version: 3,
      description: 'the search term typed',
    });

    // delete documented-only label -> tombstone; delete doc of tracked label -> missing
    await writer.write([
      { side: 'labels', key: 'chk_Total', value: null, version: 2 },
      { side: 'labels', key: 'san_SearchTerm', value: null, version: 4 },
    ]);
    entries = await publicCount(topics.public, 6);
    expect(entries.slice(4).map((e) => [e.key, e.value?.documentation.state ?? null])).toEqual([
      ['chk_Total', null],
      ['san_SearchTerm', 'missing'],
    ]);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/publisher_records_published_total\{kind="tombstone"\} 1/);
    expect(metrics).toMatch(/publisher_end_to_end_lag_seconds_count \d+/);
  });

  it('does not publish tracked-only labels when PUBLISH_UNDOCUMENTED is off', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    await writer.write([
      { side: 'tracked', key: 'nav_Menu', value: trackedRecord('nav_Menu') },
      { side: 'labels', key: 'chk_Total', value: docRecord('chk_Total'), version: 1 },
    ]);
    const { publisher } = publisherFor(topics, { publishUndocumented: false });
    publisher.start();
    await publisher.ready();
    expect([...latestPerKey(await readPublic(topics.public)).keys()]).toEqual(['chk_Total']);
  });

  it('rebuilds on restart without publishing anything twice, and catches up on edits made while down', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    await writer.write([
      { side: 'labels', key: 'san_A', value: docRecord('san_A'), version: 1 },
      { side: 'tracked', key: 'san_A', value: trackedRecord('san_A') },
      { side: 'tracked', key: 'san_B', value: trackedRecord('san_B') },
    ]);
    const options = { consumerGroup: `pp-group-${randomUUID()}`, transactionalId: `pp-txn-${randomUUID()}` };
    const first = publisherFor(topics, options).publisher;
    first.start();
    await first.ready();
    await first.close();
    expect(await readPublic(topics.public)).toHaveLength(2);

    await writer.write([
      { side: 'tracked', key: 'san_B', value: trackedRecord('san_B', '2026-11-21T00:00:00.000Z') },
    ]);
    const second = publisherFor(topics, options).publisher;
    second.start();
    await second.ready();
    const entries = await readPublic(topics.public);
    expect(entries.map((e) => e.key)).toEqual(['san_A', 'san_B', 'san_B']);
    expect(entries[2]!.value?.tracking).toMatchObject({ lastSeen: '2026-11-21T00:00:00.000Z' });
  });

  it('a minor schema bump republishes every label once; another major or an older build is refused', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    await writer.write([
      { side: 'labels', key: 'san_A', value: docRecord('san_A'), version: 1 },
      { side: 'tracked', key: 'san_B', value: trackedRecord('san_B') },
    ]);
    const ids = { consumerGroup: `pp-group-${randomUUID()}`, transactionalId: `pp-txn-${randomUUID()}` };
    const run = async (schemaVersion: string) => {
      const { publisher } = publisherFor(topics, { ...ids, schemaVersion });
      publisher.start();
      const outcome = await publisher.ready().then(
        () => 'ready',
        (error: { code?: string }) => error.code,
      );
      await publisher.close();
      return outcome;
    };
    expect(await run('1.0.0')).toBe('ready');
    expect(await run('1.1.0')).toBe('ready');
    let entries = await readPublic(topics.public);
    expect(entries.map((e) => `${e.key}@${e.value?.schemaVersion}`)).toEqual([
      'san_A@1.0.0',
      'san_B@1.0.0',
      'san_A@1.1.0',
      'san_B@1.1.0',
    ]);
    expect(await run('1.1.0')).toBe('ready');
    expect(await run('2.0.0')).toBe('PUB_SCHEMA_INCOMPATIBLE');
    expect(await run('1.0.5')).toBe('PUB_SCHEMA_INCOMPATIBLE');
    entries = await readPublic(topics.public);
    expect(entries).toHaveLength(4);
  });

  it('republish writes every current label again and removes labels that are gone', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    await writer.write([
      { side: 'labels', key: 'san_A', value: docRecord('san_A'), version: 1 },
      { side: 'tracked', key: 'san_B', value: trackedRecord('san_B') },
    ]);
    const ids = { consumerGroup: `pp-group-${randomUUID()}`, transactionalId: `pp-txn-${randomUUID()}` };
    const { publisher } = publisherFor(topics, ids);
    publisher.start();
    await publisher.ready();
    await publisher.close();
    await writer.write([{ side: 'tracked', key: 'san_B', value: null }]);
    const { metrics } = testMetrics();
    await republishOnce({ kafka: createTestKafka(), topics, ...ids, metrics, logger: quietLogger() });
    const entries = await readPublic(topics.public);
    expect(entries.map((e) => `${e.key}:${e.value === null ? 'tombstone' : 'record'}`)).toEqual([
      'san_A:record',
      'san_B:record',
      'san_A:record',
      'san_B:tombstone',
    ]);
    expect([...latestPerKey(entries).keys()]).toEqual(['san_A']);

    // the same through the CLI, as an operator runs it
    const cli = spawn(process.execPath, [join(import.meta.dirname, '../dist/republish-cli.js')], {
      env: {
        KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
        LABELS_TOPIC: topics.labels,
        TRACKED_LABELS_TOPIC: topics.tracked,
        PUBLIC_TOPIC: topics.public,
        CONSUMER_GROUP: ids.consumerGroup,
        TRANSACTIONAL_ID_PREFIX: `pp-cli-${randomUUID()}`,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const [code] = await once(cli, 'exit');
    expect(code).toBe(0);
    expect((await readPublic(topics.public)).slice(4).map((e) => e.key)).toEqual(['san_A']);
  });

  it('refuses to publish into a public topic that is not compacted', async () => {
    const topics = { ...(await createTopics()), public: await createTopic('pp-public-delete') };
    const { publisher } = publisherFor(topics);
    publisher.start();
    await expect(publisher.ready()).rejects.toMatchObject({
      code: 'PUB_TOPIC_MISCONFIGURED',
      retryable: false,
    });
    expect(publisher.notReadyReason()).toBe('stopped: PUB_TOPIC_MISCONFIGURED');
  });

  it('two instances with one transactional id fence each other and still publish each change once', async () => {
    const topics = await createTopics();
    const writer = await sourceWriter(topics);
    const ids = { consumerGroup: `pp-group-${randomUUID()}`, transactionalId: `pp-txn-${randomUUID()}` };
    const { publisher: a, registry: ra } = publisherFor(topics, ids);
    a.start();
    await a.ready();
    const { publisher: b, registry: rb } = publisherFor(topics, ids);
    b.start();
    await b.ready();
    for (let i = 1; i <= 12; i++) {
      await writer.write([
        {
          side: 'labels',
          key: `san_L${i % 3}`,
          value: docRecord(`san_L${i % 3}`, { description: `rev ${i}` }),
          version: i,
        },
      ]);
      await new Promise((r) => setTimeout(r, 150));
    }
    await eventually(async () => {
      const latest = latestPerKey(await readPublic(topics.public));
      return ['rev 12', 'rev 10', 'rev 11'].every((d, k) => {
        const doc = latest.get(`san_L${k}`)?.documentation;
        return doc?.state === 'documented' && doc.description === d;
      });
    }, 'the last revision of every label');
    await Promise.all([a.close(), b.close()]);
    const restarts = async (r: typeof ra) =>
      Number(/publisher_restarts_total(?:\{[^}]*\})? (\d+)/.exec(await r.metrics())?.[1] ?? 0);
    expect(
      (await restarts(ra)) + (await restarts(rb)),
      'the instances never fenced each other',
    ).toBeGreaterThan(0);
    const entries = await readPublic(topics.public);
    const last = new Map<string, string>();
    for (const e of entries) {
      const json = JSON.stringify(e.value);
      expect(last.get(e.key), `${e.key} published twice in a row`).not.toBe(json);
      last.set(e.key, json);
    }
    expect(entries.length).toBeLessThanOrEqual(12);
  });
});
