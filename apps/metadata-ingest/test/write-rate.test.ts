import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import {
  createInputTopics,
  freshTopics,
  impressionMessage,
  produce,
  startWorker,
  trackedView,
  waitFor,
} from './helpers.js';

const LABELS = ['san_SearchTerm', 'prd_ProductId', 'page_PageType', 'cart_Value', 'user_LoginState'];

describe('write policy', () => {
  it('writes a handful of records for thousands of impressions, then commits everything on close', async () => {
    const t = freshTopics();
    await createInputTopics(t, 2);
    const worker = await startWorker(t, {
      commitIntervalMs: 600_000,
      flushIntervalMs: 100,
      lastSeenIntervalMs: 600_000,
    });
    const impressions = Array.from({ length: 6_000 }, (_, i) => ({
      ts: new Date(Date.UTC(2026, 10, 25, 10, 0, i % 60)).toISOString(),
      pageType: 'home',
      labels: Object.fromEntries(LABELS.map((l) => [l, `v${i % 7}`])),
    }));
    await produce(
      t.impressions,
      impressions.map((imp, i) => impressionMessage(imp, i % 2)),
    );
    const writes = async () => (await worker.metrics.labelWrites.get()).values[0]?.value ?? 0;
    const counted = async () => (await worker.metrics.impressions.get()).values[0]?.value ?? 0;
    for (let i = 0; i < 300 && (await counted()) < 6_000; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // a few more flush intervals: nothing meaningful is left
    // Each label once, as new; counts alone wait for the commit.
    expect(await writes()).toBe(LABELS.length);

    await worker.close();
    const view = await trackedView(t);
    await waitFor('totals after the final commit', () =>
      LABELS.every((l) => view.get(l)?.value.totalCount === 6_000),
    );
    const admin = createTestKafka().admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: t.group, topics: [t.impressions] });
    const ends = await admin.fetchTopicOffsets(t.impressions);
    await admin.disconnect();
    expect(committed[0]!.partitions.map((p) => p.offset).sort()).toEqual(ends.map((e) => e.high).sort());
  });
});
