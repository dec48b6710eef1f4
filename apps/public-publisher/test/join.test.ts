import type { LabelRecord, TrackedLabel } from '@labeldocs/schemas';
import { publicLabelCodec } from '@labeldocs/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, JoinState, joinLabel, type Publication, VERSION_HEADER } from '../src/index.js';
import { docRecord, trackedRecord } from './helpers.js';

const options = { publishUndocumented: true };
const encode = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('joinLabel', () => {
  it('keeps internal-only fields out of the public record', () => {
    const record = docRecord('san_SearchTerm', {
      tags: ['secret-tag'],
      examples: ['x'],
      deprecation: { date: '2027-01-01', replacement: 'san_Query', reason: 'internal reason' },
    });
    const joined = joinLabel(
      'san_SearchTerm',
      { record, version: 4 },
      trackedRecord('san_SearchTerm'),
      options,
    )!;
    expect(publicLabelCodec.validate(joined).ok).toBe(true);
    expect(joined.documentation).toMatchObject({
      state: 'documented',
      version: 4,
      deprecationDate: '2027-01-01',
      replacement: 'san_Query',
    });
    const text = JSON.stringify(joined);
    for (const internal of [
      'secret-tag',
      'internal reason',
      'createdBy',
      'updatedBy',
      'examples',
      'dailyCounts',
    ]) {
      expect(text).not.toContain(internal);
    }
  });

  it('publishes a tracked-only label as missing documentation, unless told not to, and never an invalid name', () => {
    expect(joinLabel('nav_Menu', undefined, trackedRecord('nav_Menu'), options)?.documentation).toEqual({
      state: 'missing',
    });
    expect(
      joinLabel('nav_Menu', undefined, trackedRecord('nav_Menu'), { publishUndocumented: false }),
    ).toBeUndefined();
    expect(joinLabel('Not A Label', undefined, trackedRecord('Not A Label'), options)).toBeUndefined();
    expect(joinLabel('nav_Menu', undefined, undefined, options)).toBeUndefined();
  });
});

describe('JoinState', () => {
  it('a change of internal-only fields publishes nothing, and a later public change keeps the new version', () => {
    const state = new JoinState(options);
    const put = (record: LabelRecord, version: number) =>
      state.applySource('labels', {
        key: record.name,
        value: encode(record),
        headers: { [VERSION_HEADER]: Buffer.from(String(version)) },
      });
    put(docRecord('san_A'), 1);
    const first = state.diff(['san_A']);
    expect(first).toHaveLength(1);
    state.markPublished(first);
    put(docRecord('san_A', { tags: ['x'], updatedBy: 'bob', updatedAt: '2026-11-03T00:00:00.000Z' }), 2);
    expect(state.diff(['san_A'])).toEqual([]);
    put(docRecord('san_A', { ownerTeam: 'checkout' }), 3);
    const [next] = state.diff(['san_A']);
    expect(next?.value?.documentation).toMatchObject({ version: 3, ownerTeam: 'checkout' });
  });

  it('a record that does not decode is reported with its field and skipped', () => {
    const problems: string[] = [];
    const state = new JoinState(options, (side, key, errors) =>
      problems.push(`${side}:${key}:${errors[0]?.path}`),
    );
    expect(state.applySource('labels', { key: 'san_A', value: encode({ name: 'san_A' }) })).toBeUndefined();
    expect(state.applySource('tracked', { key: 'san_A', value: Buffer.from('{oops') })).toBeUndefined();
    expect(problems).toEqual(['labels:san_A:group', 'tracked:san_A:(root)']);
    expect(state.diff(['san_A'])).toEqual([]);
  });

  it('for any sequence of source changes, applying the diffs yields exactly the join, never the same record twice', () => {
    const names = ['san_A', 'san_B', 'nav_C'];
    const edit = fc.record({
      side: fc.constantFrom('labels' as const, 'tracked' as const),
      key: fc.constantFrom(...names),
      remove: fc.boolean(),
      description: fc.constantFrom('one', 'two'),
      tag: fc.constantFrom('a', 'b'),
      lastSeen: fc.constantFrom('2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 60 }), fc.boolean(), (edits, publishUndocumented) => {
        const state = new JoinState({ publishUndocumented });
        const docs = new Map<string, LabelRecord>();
        const tracked = new Map<string, TrackedLabel>();
        const log: Publication[] = [];
        edits.forEach((e, i) => {
          const value: LabelRecord | TrackedLabel | null = e.remove
            ? null
            : e.side === 'labels'
              ? docRecord(e.key, { description: e.description, tags: [e.tag] })
              : trackedRecord(e.key, e.lastSeen);
          if (e.side === 'labels') {
            if (value === null) docs.delete(e.key);
            else docs.set(e.key, value as LabelRecord);
          } else if (value === null) tracked.delete(e.key);
          else tracked.set(e.key, value as TrackedLabel);
          const key = state.applySource(e.side, {
            key: e.key,
            value: value === null ? null : encode(value),
            headers: { [VERSION_HEADER]: String(i + 1) },
          });
          const out = state.diff([key!]);
          state.markPublished(out);
          log.push(...out);
        });
        const latest = new Map<string, string | null>();
        for (const p of log) {
          const json = p.value === null ? null : canonicalJson(p.value);
          expect(latest.get(p.key) ?? null).not.toBe(json);
          latest.set(p.key, json);
        }
        for (const name of names) {
          const expected = joinLabel(
            name,
            docs.has(name) ? { record: docs.get(name)!, version: 1 } : undefined,
            tracked.get(name),
            {
              publishUndocumented,
            },
          );
          const got = latest.get(name) ?? null;
          if (expected === undefined) expect(got).toBeNull();
          else {
            const parsed = JSON.parse(got!) as { documentation: Record<string, unknown> };
            expect(publicLabelCodec.validate(parsed).ok).toBe(true);
            delete parsed.documentation.version;
            const exp = JSON.parse(canonicalJson(expected)) as { documentation: Record<string, unknown> };
            delete exp.documentation.version;
            expect(canonicalJson(parsed)).toBe(canonicalJson(exp));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
