import { describe, expect, it } from 'vitest';
import { type Change, type KafkaKeyValueStore, KvConflictError } from '../src/index.js';
import { type Doc, eventually, freshTopic, openStore } from './helpers.js';

type Outcome = { ok: true; version: number } | { ok: false; error: unknown };

async function attempt(store: KafkaKeyValueStore<Doc>, doc: Doc, expectedVersion: number): Promise<Outcome> {
  try {
    return { ok: true, version: (await store.put('k', doc, { expectedVersion })).version };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('concurrent conditional writes', () => {
  it('two instances, 50 concurrent conditional writes to one key: one winner per version, losers learn the winner', async () => {
    const topic = freshTopic('conflict');
    const a = await openStore(topic);
    const b = await openStore(topic);
    const logs = new Map<string, Change<Doc>[]>([
      ['a', []],
      ['b', []],
    ]);
    a.subscribe((c) => logs.get('a')?.push(c));
    b.subscribe((c) => logs.get('b')?.push(c));
    expect((await a.put('k', { n: -1 }, { expectedVersion: 0 })).version).toBe(1);
    await eventually(() => b.get('k')?.version === 1, 'b sees version 1');

    // Round 1: all 50 race for version 2.
    const writers = Array.from({ length: 50 }, (_, i) => ({
      store: i % 2 === 0 ? a : b,
      doc: { n: i, by: i % 2 ? 'b' : 'a' },
    }));
    const first = await Promise.all(writers.map((w) => attempt(w.store, w.doc, 1)));
    const winners = first.filter((o) => o.ok);
    expect(winners).toEqual([{ ok: true, version: 2 }]);
    for (const loser of first.filter((o) => !o.ok)) {
      const error = (loser as { error: unknown }).error as KvConflictError;
      expect(error.code).toBe('KV_CONFLICT');
      expect(error.currentVersion).toBe(2);
      expect(error.retryable).toBe(false);
    }

    // Round 2: every loser retries from the version it was told, until it wins; versions 3..51 each go to one.
    const accepted = new Map<number, number>([[2, first.findIndex((o) => o.ok)]]);
    await Promise.all(
      writers.map(async (w, i) => {
        if (first[i]?.ok) return;
        let expected = 2;
        for (let tries = 0; tries < 200; tries += 1) {
          const outcome = await attempt(w.store, w.doc, expected);
          if (outcome.ok) {
            expect(accepted.has(outcome.version)).toBe(false);
            accepted.set(outcome.version, i);
            return;
          }
          const error = outcome.error as KvConflictError;
          expect(error).toBeInstanceOf(KvConflictError);
          expect(error.currentVersion).toBeGreaterThan(expected);
          expected = error.currentVersion;
        }
        throw new Error(`writer ${i} never won`);
      }),
    );
    expect([...accepted.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));

    await eventually(() => a.get('k')?.version === 51 && b.get('k')?.version === 51, 'both at version 51');
    const winnerOf51 = writers[accepted.get(51) ?? -1]?.doc;
    expect(a.get('k')).toEqual({ value: winnerOf51, version: 51 });
    expect(b.get('k')).toEqual(a.get('k'));
    // Both instances applied the same 51 changes in the same order, each value the one its winner wrote.
    await eventually(() => (logs.get('b')?.length ?? 0) >= 51, 'b applied 51 changes');
    for (const log of logs.values()) {
      expect(log.map((c) => c.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      for (const change of log.slice(1))
        expect(change.current?.value).toEqual(writers[accepted.get(change.version) ?? -1]?.doc);
    }
    expect(a.metrics.conflicts + b.metrics.conflicts).toBeGreaterThanOrEqual(49);
  });
});
