import fc from 'fast-check';
import {
  BACKUP_FORMAT_VERSIONS,
  type BackupManifest,
  type Impression,
  LABEL_STATUSES,
  type LabelChangeEvent,
  type LabelRecord,
  OBSERVED_VALUE_TYPES,
  PII_CATEGORIES,
  type PublicLabel,
  type TrackedLabel,
  type TrackedLabelAggregate,
  type ValueType,
} from '../src/index.js';

/**
 * Arbitraries for every record a codec carries. They produce valid values only (the round-trip
 * property needs that); sizes stay small so the suite stays fast, limits are tested separately.
 */
const CAP = 40;
export const text = (max: number, min = 0) =>
  fc.string({ unit: 'binary', minLength: min, maxLength: Math.max(min, Math.min(CAP, max >> 1)) });
const nonEmpty = (max: number) => text(max, 1);
const list = <T>(arb: fc.Arbitrary<T>, max: number, min = 0) =>
  fc.array(arb, { minLength: min, maxLength: Math.min(max, 4) });

export const groupName = fc.stringMatching(/^[a-z][a-z0-9]{0,19}$/);
export const labelName = fc
  .tuple(groupName, fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,99}$/))
  .map(([g, n]) => `${g}_${n}`);
const day = fc.date({ min: new Date('1990-01-01'), max: new Date('2999-12-31'), noInvalidDate: true });
export const instant = day.map((d) => d.toISOString());
export const date = day.map((d) => d.toISOString().slice(0, 10));
const nat = fc.nat();
const offset = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);
const sha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
/** JSON that survives a JSON round trip unchanged (no -0, no `__proto__` keys zod would drop). */
const json = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v).replace(/"__proto__":/g, '"proto":')) as unknown);

export const valueType: fc.Arbitrary<ValueType> = fc.oneof(
  fc.constantFrom({ kind: 'string' as const }, { kind: 'number' as const }, { kind: 'boolean' as const }),
  fc.record({ kind: fc.constant('enum' as const), values: list(nonEmpty(200), 500, 1) }),
  fc.record({ kind: fc.constant('list' as const), of: fc.constantFrom('string', 'number', 'boolean') }),
  fc.constant({ kind: 'json' as const }),
);
const pii = fc.record({ isPii: fc.boolean(), category: fc.constantFrom(...PII_CATEGORIES) });

export const labelRecord: fc.Arbitrary<LabelRecord> = fc.record(
  {
    name: labelName,
    group: nonEmpty(20),
    description: text(10_000),
    ownerTeam: nonEmpty(100),
    valueType,
    examples: list(text(500), 20),
    pii,
    tags: list(nonEmpty(50), 30),
    status: fc.constantFrom(...LABEL_STATUSES),
    startOfUse: date,
    deprecation: fc.record({ date, replacement: labelName, reason: text(2_000) }, { requiredKeys: ['date'] }),
    createdBy: nonEmpty(200),
    createdAt: instant,
    updatedBy: nonEmpty(200),
    updatedAt: instant,
  },
  {
    requiredKeys: [
      'name',
      'group',
      'description',
      'ownerTeam',
      'valueType',
      'examples',
      'pii',
      'tags',
      'status',
      'createdBy',
      'createdAt',
      'updatedBy',
      'updatedAt',
    ],
  },
) as fc.Arbitrary<LabelRecord>;

export const labelChangeEvent: fc.Arbitrary<LabelChangeEvent> = fc.record(
  {
    label: labelName,
    version: fc.integer({ min: 1, max: 1_000_000 }),
    kind: fc.constantFrom('created', 'updated', 'deprecated', 'deleted'),
    actor: nonEmpty(200),
    at: instant,
    reason: text(2_000),
    changes: list(fc.record({ field: nonEmpty(100), before: json, after: json }), 100),
    after: fc.option(labelRecord, { nil: null }),
  },
  { requiredKeys: ['label', 'version', 'kind', 'actor', 'at', 'changes', 'after'] },
) as fc.Arbitrary<LabelChangeEvent>;

const observedTypes = fc.subarray([...OBSERVED_VALUE_TYPES]);

export const trackedLabel: fc.Arbitrary<TrackedLabel> = fc.record(
  {
    name: nonEmpty(300),
    group: text(100),
    nameValid: fc.boolean(),
    knownGroup: fc.boolean(),
    firstSeen: instant,
    lastSeen: instant,
    dailyCounts: fc.dictionary(date, nat, { maxKeys: 5 }),
    totalCount: nat,
    valueTypes: observedTypes,
    samples: list(text(200), 5),
    pageTypes: list(nonEmpty(100), 50),
    sources: list(nonEmpty(100), 20),
    updatedAt: instant,
  },
  {
    requiredKeys: [
      'name',
      'nameValid',
      'knownGroup',
      'firstSeen',
      'lastSeen',
      'dailyCounts',
      'totalCount',
      'valueTypes',
      'samples',
      'pageTypes',
      'sources',
      'updatedAt',
    ],
  },
) as fc.Arbitrary<TrackedLabel>;

const labelKey = text(300).filter((k) => k !== '__proto__');
const labelValue = fc.oneof(
  text(10_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
  json,
);
export const impression: fc.Arbitrary<Impression> = fc.record(
  {
    ts: instant,
    pageType: nonEmpty(100),
    labels: fc.dictionary(labelKey, labelValue, { maxKeys: 8, noNullPrototype: true }),
    source: text(100),
  },
  { requiredKeys: ['ts', 'pageType', 'labels'] },
) as fc.Arbitrary<Impression>;

export const trackedLabelAggregate: fc.Arbitrary<TrackedLabelAggregate> = fc.record({
  name: nonEmpty(300),
  windowStart: instant,
  windowEnd: instant,
  count: nat,
  valueTypes: observedTypes,
  samples: list(text(200), 20),
  pageTypes: list(nonEmpty(100), 50),
  source: nonEmpty(100),
});

const documented = fc.record(
  {
    state: fc.constant('documented' as const),
    version: fc.integer({ min: 1, max: 1_000_000 }),
    description: text(10_000),
    ownerTeam: nonEmpty(100),
    valueType,
    pii,
    status: fc.constantFrom(...LABEL_STATUSES),
    startOfUse: date,
    deprecationDate: date,
    replacement: labelName,
    updatedAt: instant,
  },
  {
    requiredKeys: ['state', 'version', 'description', 'ownerTeam', 'valueType', 'pii', 'status', 'updatedAt'],
  },
);
const tracked = fc.record({
  state: fc.constant('tracked' as const),
  firstSeen: instant,
  lastSeen: instant,
  valueTypes: observedTypes,
});
export const publicLabel: fc.Arbitrary<PublicLabel> = fc.record({
  schemaVersion: fc.tuple(nat, nat, nat).map((v) => v.join('.')),
  name: labelName,
  group: nonEmpty(20),
  documentation: fc.oneof(fc.constant({ state: 'missing' as const }), documented),
  tracking: fc.oneof(fc.constant({ state: 'untracked' as const }), tracked),
}) as fc.Arbitrary<PublicLabel>;

export const backupManifest: fc.Arbitrary<BackupManifest> = fc.record({
  formatVersion: fc.constantFrom(...BACKUP_FORMAT_VERSIONS),
  backupId: nonEmpty(200),
  topic: nonEmpty(249),
  topicConfig: fc.dictionary(
    nonEmpty(200).filter((k) => k !== '__proto__'),
    text(10_000),
    {
      maxKeys: 5,
      noNullPrototype: true,
    },
  ),
  sourceClusterId: nonEmpty(200),
  createdAt: instant,
  createdBy: nonEmpty(200),
  partitions: list(
    fc.record({ partition: nat, startOffset: offset, endOffset: offset, records: nat }),
    10_000,
  ),
  segments: list(
    fc.record({
      key: nonEmpty(1024),
      partition: nat,
      firstOffset: offset,
      lastOffset: offset,
      records: nat,
      bytes: nat,
      sha256,
      compression: fc.constantFrom('gzip' as const, 'zstd' as const, 'none' as const),
    }),
    1_000_000,
  ),
  totalRecords: nat,
  stateHash: sha256,
  stateKeys: nat,
});
