import { setTimeout as sleep } from 'node:timers/promises';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
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

describe('rebalance', () => {
  it('a second instance joining mid-stream shares the partitions and loses nothing; any double count stays within the reported overlap', async () => {
    const t = freshTopics();
    await createInputTopics(t, 4);
    const generator = createImpressionGenerator(createDemoCatalog({ labels: 150, groups: 8 }), {
      seed: 9,
      labelsPerImpression: 10,
      malformedRate: 0,
    });
    const all = Array.from({ length: 8_000 }, () => generator.impression());
    const view = await trackedView(t);
    const fast = { commitIntervalMs: 1_500, flushIntervalMs: 200, lastSeenIntervalMs: 0 };
    const first = await startWorker(t, fast);
    let sent = 0;
    const sendChunk = async () => {
      await produce(
        t.impressions,
        all.slice(sent, sent + 400).map((imp, i) => impressionMessage(imp, (sent + i) % 4)),
      );
      sent += 400;
    };
    while (sent < 3_200) await sendChunk();
    await waitFor(
      'the first instance counting',
      () => (view.get('page_PageType')?.value.totalCount ?? 0) > 500,
    );
    const secondStarting = startWorker(t, { ...fast, clientId: 'second-instance' });
    while (sent < all.length) {
      await sendChunk();
      await sleep(150);
    }
    const second = await secondStarting;

    const expected = new Map<string, number>();
    for (const imp of all)
      for (const name of Object.keys(imp.labels)) expected.set(name, (expected.get(name) ?? 0) + 1);
    await waitFor('every label counted', () =>
      [...expected].every(([n, c]) => (view.get(n)?.value.totalCount ?? 0) >= c),
    );
    await sleep(1_500);
    let excess = 0;
    for (const [name, count] of expected) {
      const total = view.get(name)!.value.totalCount;
      expect(total, name).toBeGreaterThanOrEqual(count);
      excess += total - count;
    }
    const overlap = async (w: typeof first) =>
      (await w.metrics.overlaps.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(excess).toBeLessThanOrEqual((await overlap(first)) + (await overlap(second)));
    // Both instances really consumed: the partitions were shared.
    const consumed = async (w: typeof first) => (await w.metrics.impressions.get()).values[0]?.value ?? 0;
    expect(await consumed(second)).toBeGreaterThan(0);
    expect(await consumed(first)).toBeGreaterThan(0);
  });
});
