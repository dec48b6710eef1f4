import type { Impression } from '@labeldocs/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator, mergeLabel, slotKey, type TrackedLabelState } from '../src/index.js';

const LABELS = ['san_SearchTerm', 'prd_Price', 'Bad-Name'];

/** One input record: which partition it is on and which labels it carries. */
const record = fc.record({
  partition: fc.integer({ min: 0, max: 1 }),
  labels: fc.subarray(LABELS, { minLength: 1 }),
  day: fc.integer({ min: 1, max: 3 }),
});
const op = fc.oneof(
  { weight: 6, arbitrary: fc.constant('consume' as const) },
  fc.constant('flush' as const),
  fc.constant('commit' as const),
  fc.constant('crash' as const),
);

function newAggregator(store: Map<string, TrackedLabelState>) {
  return new Aggregator({
    lastSeenIntervalMs: 0,
    isPii: () => false,
    isKnownGroup: (g) => g !== 'zzz',
    lookup: (name) => store.get(name),
  });
}

function flushAll(aggregator: Aggregator, store: Map<string, TrackedLabelState>) {
  for (const entry of aggregator.select(true)) {
    const taken = entry.take();
    const merged = mergeLabel(store.get(entry.name), entry, taken.pending, {
      days: 2,
      isPii: false,
      now: '2026-11-25T12:00:00.000Z',
    });
    store.set(entry.name, merged.state);
    entry.learn(merged.state);
  }
}

describe('aggregation and merge', () => {
  it('any interleaving of flushes, commits and crashes (replays from the last commit) counts every record exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 80 }),
        fc.array(op, { maxLength: 200 }),
        (records, ops) => {
          // Two partitions, as a consumer sees them: each an ordered log.
          const logs = [records.filter((r) => r.partition === 0), records.filter((r) => r.partition === 1)];
          const store = new Map<string, TrackedLabelState>();
          let committed = [0, 0];
          let position = [0, 0];
          let aggregator = newAggregator(store);
          const consumeOne = (): boolean => {
            const p = logs[0]!.length - position[0]! >= logs[1]!.length - position[1]! ? 0 : 1;
            const r = logs[p]![position[p]!];
            if (r === undefined) return false;
            const impression: Impression = {
              ts: `2026-11-0${r.day}T10:00:00.000Z`,
              pageType: 'search',
              labels: Object.fromEntries(r.labels.map((l) => [l, 1])),
            };
            aggregator.addImpression(impression, slotKey('labeldocs.impressions', p), position[p]!);
            position[p]!++;
            return true;
          };
          for (const o of ops) {
            if (o === 'consume') consumeOne();
            else if (o === 'flush') flushAll(aggregator, store);
            else if (o === 'commit') {
              const captured = [...position];
              flushAll(aggregator, store);
              committed = captured;
            } else {
              aggregator = newAggregator(store); // kill -9: pending gone, restart from the commit
              position = [...committed];
            }
          }
          while (consumeOne());
          flushAll(aggregator, store);
          for (const label of LABELS) {
            const expected = records.filter((r) => r.labels.includes(label));
            const state = store.get(label);
            expect(state?.totalCount ?? 0).toBe(expected.length);
            if (state === undefined) continue;
            // Only the last 2 days are kept, ending at the newest day counted.
            const newest = Math.max(...expected.map((r) => r.day));
            const kept = expected.filter((r) => r.day > newest - 2);
            expect(Object.values(state.dailyCounts).reduce((a, b) => a + b, 0)).toBe(kept.length);
            const oldest = Math.min(...expected.map((r) => r.day));
            expect([state.firstSeen, state.lastSeen]).toEqual([
              `2026-11-0${oldest}T10:00:00.000Z`,
              `2026-11-0${newest}T10:00:00.000Z`,
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flags malformed names and unknown groups and keeps them', () => {
    const store = new Map<string, TrackedLabelState>();
    const aggregator = newAggregator(store);
    aggregator.addImpression(
      {
        ts: '2026-11-25T10:00:00Z',
        pageType: 'home',
        labels: { 'Bad-Name': 1, zzz_Thing: 'a', san_Term: null },
      },
      'i:0',
      0,
    );
    flushAll(aggregator, store);
    expect(store.get('Bad-Name')).toMatchObject({ nameValid: false, knownGroup: false, totalCount: 1 });
    expect(store.get('Bad-Name')!.group).toBeUndefined();
    expect(store.get('zzz_Thing')).toMatchObject({ nameValid: true, knownGroup: false, group: 'zzz' });
    expect(store.get('san_Term')).toMatchObject({ knownGroup: true, valueTypes: ['null'] });
    expect(aggregator.stats).toMatchObject({ malformedNameObservations: 1, unknownGroupObservations: 1 });
  });

  it('marks only meaningful changes for the next write: new label, new value type, new day, last-seen moved', () => {
    const store = new Map<string, TrackedLabelState>();
    const aggregator = new Aggregator({
      lastSeenIntervalMs: 60_000,
      isPii: () => false,
      isKnownGroup: () => true,
      lookup: (name) => store.get(name),
    });
    const see = (offset: number, ts: string, value: unknown) =>
      aggregator.addImpression(
        { ts, pageType: 'home', labels: { san_Term: value as string } },
        'i:0',
        offset,
      );
    see(0, '2026-11-25T10:00:00Z', 'a');
    expect(aggregator.select(false)).toHaveLength(1); // new label
    flushAll(aggregator, store);
    see(1, '2026-11-25T10:00:30Z', 'b');
    expect(aggregator.select(false)).toHaveLength(0); // only a count: waits for the commit
    expect(aggregator.select(true)).toHaveLength(1);
    see(2, '2026-11-25T10:00:40Z', 5);
    expect(aggregator.select(false)).toHaveLength(1); // new value type
    flushAll(aggregator, store);
    see(3, '2026-11-25T10:02:00Z', 'c');
    expect(aggregator.select(false)).toHaveLength(1); // last seen moved by more than a minute
    flushAll(aggregator, store);
    see(4, '2026-11-26T00:00:01Z', 'd');
    expect(aggregator.select(false)).toHaveLength(1); // day rollover
  });
});
