import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { LabelRecord, PublicLabel, TrackedLabel } from '@labeldocs/schemas';
import { describe, expect, it } from 'vitest';
import { canonicalJson, joinLabel } from '../src/index.js';
import { type ChildPublisher, killHard, spawnPublisher, waitReady } from './child.js';
import {
  createTopics,
  docRecord,
  eventually,
  latestPerKey,
  readPublic,
  type SourceEdit,
  sourceWriter,
  trackedRecord,
} from './helpers.js';

/** A small seeded generator so a failing run can be replayed with its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The record without the documentation's version stamps, which coalesced edits may legitimately move. */
function stripStamps(value: PublicLabel | undefined): string {
  if (value?.documentation.state !== 'documented') return canonicalJson(value);
  const { version: _v, updatedAt: _u, ...content } = value.documentation;
  return canonicalJson({ ...value, documentation: content });
}

describe('publisher under SIGKILL', () => {
  it('the public topic equals the join with no duplicate update, however often the publisher is killed', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const topics = await createTopics(2);
    const writer = await sourceWriter(topics);
    const ids = { group: `pp-crash-${randomUUID()}`, txnPrefix: `pp-crash-${randomUUID()}` };
    const keys = Array.from({ length: 24 }, (_, i) => `g${i % 4}_Label${i}`);
    const docs = new Map<string, LabelRecord>();
    const tracked = new Map<string, TrackedLabel>();
    const version = new Map<string, number>();
    const lastPublicDocVersion = new Map<string, number>();
    const changes = new Map<string, number>();

    function nextEdit(): SourceEdit {
      const key = keys[Math.floor(random() * keys.length)]!;
      changes.set(key, (changes.get(key) ?? 0) + 1);
      const r = random();
      const v = (version.get(key) ?? 0) + 1;
      if (r < 0.6) {
        const current = docs.get(key) ?? docRecord(key);
        version.set(key, v);
        const internalOnly = docs.has(key) && r < 0.2;
        const value = internalOnly
          ? {
              ...current,
              tags: [`t${v}`],
              updatedBy: `user${v}`,
              updatedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, v)).toISOString(),
            }
          : {
              ...current,
              description: `revision ${v}`,
              updatedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, v)).toISOString(),
            };
        if (!internalOnly) lastPublicDocVersion.set(key, v);
        docs.set(key, value);
        return { side: 'labels', key, value, version: v };
      }
      if (r < 0.68) {
        version.set(key, v);
        docs.delete(key);
        return { side: 'labels', key, value: null, version: v };
      }
      if (r < 0.93) {
        const value = trackedRecord(
          key,
          new Date(Date.UTC(2026, 10, 20, 0, 0, Math.floor(random() * 1e6))).toISOString(),
        );
        tracked.set(key, value);
        return { side: 'tracked', key, value };
      }
      tracked.delete(key);
      return { side: 'tracked', key, value: null };
    }

    let child: ChildPublisher = spawnPublisher(topics, ids);
    let editing = true;
    let kills = 0;
    let killsWhileStreaming = 0;
    const killer = (async () => {
      while (editing && kills < 12) {
        // Half the kills land while the publisher streams, half at any moment of its start-up.
        if (random() < 0.5) {
          await waitReady(child);
          await new Promise((r) => setTimeout(r, random() * 800));
          killsWhileStreaming += 1;
        } else await new Promise((r) => setTimeout(r, 100 + random() * 1_500));
        await killHard(child);
        kills += 1;
        child = spawnPublisher(topics, ids);
      }
    })();
    for (let txn = 0; txn < 300; txn++) {
      await writer.write(Array.from({ length: 1 + Math.floor(random() * 4) }, nextEdit));
      await new Promise((r) => setTimeout(r, random() * 80));
    }
    editing = false;
    await killer;
    expect(kills, `seed ${seed}`).toBeGreaterThanOrEqual(4);
    expect(killsWhileStreaming, `seed ${seed}`).toBeGreaterThanOrEqual(1);

    const expected = new Map(
      keys.flatMap((key) => {
        const doc = docs.get(key);
        const joined = joinLabel(
          key,
          doc === undefined ? undefined : { record: doc, version: version.get(key)! },
          tracked.get(key),
          { publishUndocumented: true },
        );
        return joined === undefined ? [] : [[key, joined] as const];
      }),
    );
    const sameAsExpected = async () => {
      const actual = latestPerKey(await readPublic(topics.public));
      return (
        actual.size === expected.size &&
        [...expected].every(([k, v]) => actual.has(k) && stripStamps(actual.get(k)) === stripStamps(v))
      );
    };
    await waitReady(child);
    await eventually(
      sameAsExpected,
      `the public topic to show the join (seed ${seed})\n${child.output()}`,
      60_000,
    );
    // A clean stop and one more start must add nothing.
    child.process.kill('SIGTERM');
    await once(child.process, 'exit');
    child = spawnPublisher(topics, ids);
    await waitReady(child);
    child.process.kill('SIGTERM');
    await once(child.process, 'exit');

    const log = await readPublic(topics.public);
    // The publisher was alive and publishing between kills, not only in the final catch-up.
    expect(log.length, `seed ${seed}`).toBeGreaterThan(expected.size + 10);
    const actual = latestPerKey(log);
    expect([...actual.keys()].sort(), `seed ${seed}`).toEqual([...expected.keys()].sort());
    for (const [key, value] of expected) {
      const got = actual.get(key)!;
      expect(stripStamps(got), `${key}, seed ${seed}`).toBe(stripStamps(value));
      if (got.documentation.state === 'documented') {
        // The published version is the one of the last consumer-visible edit, or a later internal-only one
        // that was coalesced with it.
        expect(got.documentation.version).toBeGreaterThanOrEqual(lastPublicDocVersion.get(key)!);
        expect(got.documentation.version).toBeLessThanOrEqual(version.get(key)!);
      }
    }
    const perKey = new Map<string, string[]>();
    for (const entry of log) {
      const history = perKey.get(entry.key) ?? [];
      history.push(entry.value === null ? 'tombstone' : canonicalJson(entry.value));
      perKey.set(entry.key, history);
    }
    for (const [key, history] of perKey) {
      expect(history[0], `${key} starts with a tombstone (seed ${seed})`).not.toBe('tombstone');
      for (let i = 1; i < history.length; i++) {
        expect(history[i], `${key} published the same record twice in a row (seed ${seed})`).not.toBe(
          history[i - 1],
        );
      }
      expect(history.length, `${key}: more updates than source changes (seed ${seed})`).toBeLessThanOrEqual(
        changes.get(key)!,
      );
    }
  }, 240_000);
});
