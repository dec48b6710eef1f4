import { describe, expect, it } from 'vitest';
import {
  backupManifestCodec,
  type Codec,
  formatPath,
  impressionCodec,
  labelChangeEventCodec,
  labelRecordCodec,
  publicLabelCodec,
  trackedLabelAggregateCodec,
  trackedLabelCodec,
} from '../src/index.js';
import * as f from './fixtures.js';

type Path = (string | number)[];
type Fill = (n: number) => unknown;
const str: Fill = (n) => 'x'.repeat(n);
const arrayOf =
  (item: (i: number) => unknown): Fill =>
  (n) =>
    Array.from({ length: n }, (_, i) => item(i));
const entries =
  (key: (i: number) => string, value: unknown): Fill =>
  (n) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [key(i), value]));
const day = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
/** A JSON label value whose serialized form is exactly n characters: `["xxx"]`. */
const jsonOfLength: Fill = (n) => [str(n - 4)];

function setAt(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

/** [codec, base, path, max, fill]: the field at path holds `max` and is valid, `max + 1` is not. */
const limits: [Codec<unknown>, unknown, Path, number, Fill][] = [
  [labelRecordCodec, f.labelRecordFixture, ['group'], 20, str],
  [labelRecordCodec, f.labelRecordFixture, ['description'], 10_000, str],
  [labelRecordCodec, f.labelRecordFixture, ['ownerTeam'], 100, str],
  [labelRecordCodec, f.labelRecordFixture, ['examples'], 20, arrayOf(() => 'e')],
  [labelRecordCodec, f.labelRecordFixture, ['examples', 0], 500, str],
  [labelRecordCodec, f.labelRecordFixture, ['tags'], 30, arrayOf(() => 't')],
  [labelRecordCodec, f.labelRecordFixture, ['tags', 0], 50, str],
  [labelRecordCodec, f.labelRecordFixture, ['valueType', 'values'], 500, arrayOf((i) => `v${i}`)],
  [labelRecordCodec, f.labelRecordFixture, ['valueType', 'values', 0], 200, str],
  [labelRecordCodec, f.labelRecordFixture, ['deprecation', 'reason'], 2_000, str],
  [labelRecordCodec, f.labelRecordFixture, ['createdBy'], 200, str],
  [labelRecordCodec, f.labelRecordFixture, ['updatedBy'], 200, str],
  [labelChangeEventCodec, f.labelChangeEventFixture, ['actor'], 200, str],
  [labelChangeEventCodec, f.labelChangeEventFixture, ['reason'], 2_000, str],
  [
    labelChangeEventCodec,
    f.labelChangeEventFixture,
    ['changes'],
    100,
    arrayOf(() => ({ field: 'x', before: 1, after: 2 })),
  ],
  [labelChangeEventCodec, f.labelChangeEventFixture, ['changes', 0, 'field'], 100, str],
  [trackedLabelCodec, f.trackedLabelFixture, ['name'], 300, str],
  [trackedLabelCodec, f.trackedLabelFixture, ['group'], 100, str],
  [trackedLabelCodec, f.trackedLabelFixture, ['dailyCounts'], 400, entries(day, 1)],
  [trackedLabelCodec, f.trackedLabelFixture, ['valueTypes'], 5, arrayOf(() => 'string')],
  [trackedLabelCodec, f.trackedLabelFixture, ['samples'], 5, arrayOf(() => 's')],
  [trackedLabelCodec, f.trackedLabelFixture, ['samples', 0], 200, str],
  [trackedLabelCodec, f.trackedLabelFixture, ['pageTypes'], 50, arrayOf(() => 'p')],
  [trackedLabelCodec, f.trackedLabelFixture, ['pageTypes', 0], 100, str],
  [trackedLabelCodec, f.trackedLabelFixture, ['sources'], 20, arrayOf(() => 's')],
  [trackedLabelCodec, f.trackedLabelFixture, ['sources', 0], 100, str],
  [impressionCodec, f.impressionFixture, ['pageType'], 100, str],
  [impressionCodec, f.impressionFixture, ['source'], 100, str],
  [impressionCodec, f.impressionFixture, ['labels'], 1_000, entries((i) => `a_L${i}`, 1)],
  [impressionCodec, f.impressionFixture, ['labels', 'san_SearchTerm'], 10_000, str],
  [impressionCodec, f.impressionFixture, ['labels', 'prd_Ids'], 10_000, jsonOfLength],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['name'], 300, str],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['source'], 100, str],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['valueTypes'], 5, arrayOf(() => 'null')],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['samples'], 20, arrayOf(() => 's')],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['samples', 0], 200, str],
  [trackedLabelAggregateCodec, f.trackedLabelAggregateFixture, ['pageTypes'], 50, arrayOf(() => 'p')],
  [publicLabelCodec, f.publicLabelFixture, ['group'], 20, str],
  [publicLabelCodec, f.publicLabelFixture, ['documentation', 'description'], 10_000, str],
  [publicLabelCodec, f.publicLabelFixture, ['documentation', 'ownerTeam'], 100, str],
  [publicLabelCodec, f.publicLabelFixture, ['tracking', 'valueTypes'], 5, arrayOf(() => 'json')],
  [backupManifestCodec, f.backupManifestFixture, ['backupId'], 200, str],
  [backupManifestCodec, f.backupManifestFixture, ['topic'], 249, str],
  [backupManifestCodec, f.backupManifestFixture, ['sourceClusterId'], 200, str],
  [backupManifestCodec, f.backupManifestFixture, ['createdBy'], 200, str],
  [backupManifestCodec, f.backupManifestFixture, ['topicConfig'], 500, entries((i) => `k${i}`, 'v')],
  [backupManifestCodec, f.backupManifestFixture, ['topicConfig', 'cleanup.policy'], 10_000, str],
  [
    backupManifestCodec,
    f.backupManifestFixture,
    ['partitions'],
    10_000,
    arrayOf((i) => ({ partition: i, startOffset: '0', endOffset: '1', records: 1 })),
  ],
  [backupManifestCodec, f.backupManifestFixture, ['partitions', 0, 'endOffset'], 20, (n) => '9'.repeat(n)],
  [backupManifestCodec, f.backupManifestFixture, ['segments', 0, 'key'], 1_024, str],
];

describe('size limits', () => {
  it.each(
    limits.map(
      ([codec, base, path, max, fill]) =>
        [codec.name, formatPath(path), max, codec, base, path, fill] as const,
    ),
  )(
    '%s %s: %i is accepted, one more is rejected naming the field',
    (_name, field, max, codec, base, path, fill) => {
      const atMax = codec.decode(Buffer.from(JSON.stringify(setAt(base, path, fill(max)))));
      expect(atMax.ok ? [] : atMax.errors).toEqual([]);
      const over = codec.decode(Buffer.from(JSON.stringify(setAt(base, path, fill(max + 1)))));
      expect(over.ok).toBe(false);
      if (!over.ok) {
        expect(over.errors).toHaveLength(1);
        expect(over.errors[0]?.path).toBe(field);
        expect(over.errors[0]?.message).toMatch(new RegExp(`at most ${max}\\b`));
      }
    },
  );

  it('every fixture is valid as it stands', () => {
    for (const [codec, base] of limits) expect(codec.validate(base).ok, codec.name).toBe(true);
  });

  it('rejects a message larger than the codec allows before parsing it', () => {
    const huge = Buffer.alloc(1_048_577, 0x20);
    expect(impressionCodec.decode(huge)).toEqual({
      ok: false,
      errors: [{ path: '(root)', message: 'must be at most 1048576 bytes' }],
    });
  });
});
