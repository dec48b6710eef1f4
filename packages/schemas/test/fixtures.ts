import type {
  BackupManifest,
  Impression,
  LabelChangeEvent,
  LabelRecord,
  PublicLabel,
  TrackedLabel,
  TrackedLabelAggregate,
} from '../src/index.js';

/** One valid, fully populated value per codec: the base the limit tests change one field of. */
const at = '2026-11-25T10:00:00.000Z';

export const labelRecordFixture: LabelRecord = {
  name: 'san_SearchTerm',
  group: 'san',
  description: 'The term a visitor searched for.',
  ownerTeam: 'search',
  valueType: { kind: 'enum', values: ['a', 'b'] },
  examples: ['shoes'],
  pii: { isPii: false, category: 'none' },
  tags: ['search'],
  status: 'deprecated',
  startOfUse: '2024-01-01',
  deprecation: { date: '2026-01-01', replacement: 'san_Query', reason: 'renamed' },
  createdBy: 'ana',
  createdAt: at,
  updatedBy: 'ben',
  updatedAt: at,
};

export const labelChangeEventFixture: LabelChangeEvent = {
  label: 'san_SearchTerm',
  version: 2,
  kind: 'updated',
  actor: 'ben',
  at,
  reason: 'typo',
  changes: [{ field: 'description', before: 'x', after: 'y' }],
  after: labelRecordFixture,
};

export const trackedLabelFixture: TrackedLabel = {
  name: 'san_SearchTerm',
  group: 'san',
  nameValid: true,
  knownGroup: true,
  firstSeen: at,
  lastSeen: at,
  dailyCounts: { '2026-11-25': 3 },
  totalCount: 3,
  valueTypes: ['string'],
  samples: ['shoes'],
  pageTypes: ['search'],
  sources: ['web'],
  updatedAt: at,
};

export const impressionFixture: Impression = {
  ts: at,
  pageType: 'search',
  labels: { san_SearchTerm: 'shoes', prd_Ids: ['1', '2'] },
  source: 'web',
};

export const trackedLabelAggregateFixture: TrackedLabelAggregate = {
  name: 'san_SearchTerm',
  windowStart: at,
  windowEnd: at,
  count: 10,
  valueTypes: ['string'],
  samples: ['shoes'],
  pageTypes: ['search'],
  source: 'app',
};

export const publicLabelFixture: PublicLabel = {
  schemaVersion: '1.0.0',
  name: 'san_SearchTerm',
  group: 'san',
  documentation: {
    state: 'documented',
    version: 3,
    description: 'The term.',
    ownerTeam: 'search',
    valueType: { kind: 'string' },
    pii: { isPii: false, category: 'none' },
    status: 'active',
    updatedAt: at,
  },
  tracking: { state: 'tracked', firstSeen: at, lastSeen: at, valueTypes: ['string'] },
};

const sha = 'a'.repeat(64);
export const backupManifestFixture: BackupManifest = {
  formatVersion: 1,
  backupId: 'b-1',
  topic: 'labeldocs.labels',
  topicConfig: { 'cleanup.policy': 'compact' },
  sourceClusterId: 'cluster-1',
  createdAt: at,
  createdBy: 'backup-worker',
  partitions: [{ partition: 0, startOffset: '0', endOffset: '10', records: 10 }],
  segments: [
    {
      key: 'x/0/0.jsonl.gz',
      partition: 0,
      firstOffset: '0',
      lastOffset: '9',
      records: 10,
      bytes: 100,
      sha256: sha,
      compression: 'gzip',
    },
  ],
  totalRecords: 10,
  stateHash: sha,
  stateKeys: 1,
};
