import { createLogger } from '@labeldocs/app-kit';
import { createDemoCatalog } from '@labeldocs/demo-data';
import { createKvStore, type KafkaKeyValueStore } from '@labeldocs/kv-store';
import { type TrackedLabel, trackedLabelCodec } from '@labeldocs/schemas';
import { createTestKafka, testEnv, uniqueName } from '@labeldocs/testkit';
import { onTestFinished } from 'vitest';
import { createDocumentor, type Documentor } from '../../src/runtime.js';
import { TOKENS } from './app.js';

export interface Topics {
  labels: string;
  tracked: string;
}

/** Fresh topic names for one test; kv-store creates them, and they are deleted (with companions) afterwards. */
export function freshTopics(prefix = 'documentor'): Topics {
  const labels = uniqueName(`test-${prefix}-labels`);
  const topics = { labels, tracked: uniqueName(`test-${prefix}-tracked`) };
  onTestFinished(async () => {
    const admin = createTestKafka().admin();
    await admin.connect();
    const mine = [labels, `${labels}.commands`, `${labels}.replies`, topics.tracked];
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: mine.filter((t) => existing.has(t)) }).catch(() => undefined);
    await admin.disconnect();
  });
  return topics;
}

/** A documentor on the real broker, started and ready, closed when the test ends. */
export async function startDocumentor(topics: Topics, name = 'documentor-test'): Promise<Documentor> {
  const documentor = await createDocumentor({
    brokers: testEnv().kafkaBrokers,
    labelsTopic: topics.labels,
    trackedTopic: topics.tracked,
    clientId: name,
    tokens: TOKENS,
    logger: createLogger(name, 'silent'),
    partitions: 1,
  });
  onTestFinished(() => documentor.close());
  await documentor.start();
  return documentor;
}

/** Polls until `check` resolves true; bounded so a broken path fails instead of hanging. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A writable kv-store on the tracked-labels topic with the codec metadata-ingest uses: the test plays the
 * ingest worker. Closed when the test ends.
 */
export async function trackedWriter(topic: string): Promise<KafkaKeyValueStore<TrackedLabel>> {
  const store = createKvStore<TrackedLabel>({
    brokers: testEnv().kafkaBrokers,
    topic,
    codec: trackedLabelCodec,
    clientId: uniqueName('documentor-test-ingest'),
    partitions: 1,
  });
  onTestFinished(() => store.close());
  await store.start();
  return store;
}

/** Writes tracking data for 80% of the demo catalog, as metadata-ingest would (for the screenshot). */
export async function writeDemoTracking(topic: string): Promise<void> {
  const store = createKvStore<TrackedLabel>({
    brokers: testEnv().kafkaBrokers,
    topic,
    codec: trackedLabelCodec,
    clientId: 'documentor-test-tracking',
  });
  await store.start();
  try {
    const now = Date.now();
    const labels = createDemoCatalog().labels.filter((_, i) => i % 5 !== 0);
    await Promise.all(
      labels.map((l, i) => {
        const lastSeen = new Date(now - (i % 7 === 0 ? 40 : 1) * 86_400_000).toISOString();
        return store.put(l.name, {
          name: l.name,
          group: l.group,
          nameValid: true,
          knownGroup: true,
          firstSeen: '2026-01-01T00:00:00.000Z',
          lastSeen,
          dailyCounts: {},
          totalCount: Math.round(l.weight * 1_000_000),
          valueTypes: ['string'],
          samples: [],
          pageTypes: [],
          sources: ['demo'],
          updatedAt: lastSeen,
        });
      }),
    );
  } finally {
    await store.close();
  }
}
