import type { LabelRecord, TrackedLabel } from '@labeldocs/schemas';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TrackedFeed, type TrackedNotice } from '../src/catalog/tracked-feed.js';
import { trackedLabel } from './support/app.js';
import { MemoryStore } from './support/memory-store.js';

function feedOn(options: { coalesceMs?: number; maxBatch?: number } = {}) {
  const tracked = new MemoryStore<TrackedLabel>();
  const labels = new MemoryStore<LabelRecord>();
  const feed = new TrackedFeed(tracked, labels, options);
  onTestFinished(() => feed.close());
  const batches: TrackedNotice[][] = [];
  feed.subscribe((batch) => batches.push(batch));
  // The feed flushes on a timer; waiting until a batch has arrived keeps the test free of timing guesses.
  const next = async (count: number) => {
    while (batches.length < count) await new Promise((r) => setTimeout(r, 10));
  };
  return { tracked, labels, feed, batches, next };
}

describe('tracked-label feed for the event stream', () => {
  it('a burst of 1,400 first-time labels arrives as a few batches, every label exactly once', async () => {
    const { tracked, batches, next } = feedOn({ maxBatch: 500 });
    const names = Array.from({ length: 1_400 }, (_, i) => `grp_Label${i}`);
    // All puts land before the first flush: the in-memory store applies synchronously.
    await Promise.all(names.map((n) => tracked.put(n, trackedLabel(n, '2026-11-25T10:00:00.000Z'))));
    await next(3);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 400]);
    const seen = batches.flat();
    expect(new Set(seen.map((n) => n.name))).toEqual(new Set(names));
    expect(seen.every((n) => n.kind === 'new' && !n.documented && n.nameValid)).toBe(true);
  });

  it('routine rewrites are not forwarded; a label seen again after a day and a deletion are', async () => {
    const { tracked, labels, batches, next } = feedOn();
    await tracked.put('grp_Old', trackedLabel('grp_Old', '2026-10-01T00:00:00.000Z'));
    await next(1);
    // metadata-ingest's commit rewrites (last seen moves by seconds, counts grow): nothing to tell.
    await tracked.put('grp_Old', trackedLabel('grp_Old', '2026-10-01T00:00:30.000Z', 20));
    await tracked.put('grp_Old', trackedLabel('grp_Old', '2026-10-01T00:01:00.000Z', 30));
    await labels.put('grp_Old', {
      name: 'grp_Old',
      group: 'grp',
      description: 'documented meanwhile',
    } as LabelRecord);
    // Back after weeks: it may no longer be stale, so the UI hears about it (and that it is documented).
    await tracked.put('grp_Old', trackedLabel('grp_Old', '2026-11-25T10:00:00.000Z', 31));
    await tracked.put('grp_Gone', trackedLabel('grp_Gone', '2026-11-25T10:00:00.000Z'));
    await next(2);
    expect(batches[1]!.map((n) => [n.name, n.kind, n.documented, n.totalCount])).toEqual([
      ['grp_Old', 'back', true, 31],
      ['grp_Gone', 'new', false, 10],
    ]);
    await tracked.delete('grp_Gone');
    await next(3);
    expect(batches[2]!.map((n) => [n.name, n.kind, n.lastSeen])).toEqual([['grp_Gone', 'gone', null]]);
    expect(batches).toHaveLength(3);
  });

  it('collects nothing while nobody listens', async () => {
    const tracked = new MemoryStore<TrackedLabel>();
    const feed = new TrackedFeed(tracked, new MemoryStore<LabelRecord>());
    onTestFinished(() => feed.close());
    await tracked.put('grp_Early', trackedLabel('grp_Early', '2026-11-25T10:00:00.000Z'));
    const batches: TrackedNotice[][] = [];
    feed.subscribe((b) => batches.push(b));
    await tracked.put('grp_Late', trackedLabel('grp_Late', '2026-11-25T10:00:00.000Z'));
    while (batches.length < 1) await new Promise((r) => setTimeout(r, 10));
    expect(batches.flat().map((n) => n.name)).toEqual(['grp_Late']);
  });
});
