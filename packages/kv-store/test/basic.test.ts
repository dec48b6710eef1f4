import { describe, expect, it } from 'vitest';
import type { Change } from '../src/index.js';
import { type Doc, eventually, freshTopic, openStore } from './helpers.js';

describe('kv-store basics', () => {
  it('an empty topic is ready at once', async () => {
    const store = await openStore(freshTopic());
    expect(store.isReady).toBe(true);
    expect(store.size).toBe(0);
    expect(store.get('nope')).toBeUndefined();
  });

  it('a write is visible on the writing instance as soon as put() resolves, and on a second instance via subscribe()', async () => {
    const topic = freshTopic();
    const a = await openStore(topic);
    const b = await openStore(topic);
    const seen: Change<Doc>[] = [];
    b.subscribe((c) => seen.push(c));

    const first = await a.put('san_SearchTerm', { n: 1 });
    expect(first.version).toBe(1);
    expect(a.get('san_SearchTerm')).toEqual({ value: { n: 1 }, version: 1 });

    const second = await a.put('san_SearchTerm', { n: 2 }, { expectedVersion: 1 });
    expect(second.version).toBe(2);
    expect(a.get('san_SearchTerm')?.value).toEqual({ n: 2 });

    await eventually(() => seen.length >= 2, 'second instance sees both writes');
    expect(seen.map((c) => [c.key, c.version, c.current?.value.n])).toEqual([
      ['san_SearchTerm', 1, 1],
      ['san_SearchTerm', 2, 2],
    ]);
    expect(seen[1]?.previous).toEqual({ value: { n: 1 }, version: 1 });
    expect(b.get('san_SearchTerm')).toEqual({ value: { n: 2 }, version: 2 });

    const deleted = await b.delete('san_SearchTerm', { expectedVersion: 2 });
    expect(deleted).toBe(3);
    expect(b.get('san_SearchTerm')).toBeUndefined();
    await eventually(() => a.get('san_SearchTerm') === undefined, 'first instance sees the delete');
  });

  it('after sync() a follower reads every write acknowledged before it, without polling', async () => {
    const topic = freshTopic('sync');
    const writer = await openStore(topic);
    const follower = await openStore(topic, { readOnly: true });
    for (let round = 0; round < 3; round += 1) {
      const written = await writer.put('grp_Synced', { n: round });
      await follower.sync();
      expect(follower.get('grp_Synced')).toEqual(written);
    }
  });
});
