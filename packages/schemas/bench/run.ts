/**
 * Codec cost per message, against baselines in the same run: bare JSON.parse/stringify, zod alone, and a
 * binary candidate (MessagePack via msgpackr) to decide whether a binary codec would pay off.
 * Run: pnpm --filter @labeldocs/schemas bench [iterations]
 */
import { fmt, markdownTable, writeReport } from '@labeldocs/bench';
import {
  impressionCodec,
  impressionSchema,
  labelRecordCodec,
  labelRecordSchema,
  observeUnknownFields,
} from '@labeldocs/schemas';
import { Packr } from 'msgpackr';

const iterations = Number(process.argv[2] ?? 20_000);
const rounds = 5;

const at = '2026-11-25T10:00:00.000Z';
const labels: Record<string, unknown> = {};
for (let i = 0; i < 30; i++)
  labels[`grp${i % 6}_Label${i}`] = i % 3 === 0 ? i * 1.5 : `value-${i}-${'x'.repeat(i)}`;
labels.prd_Ids = ['123', '456', '789'];
const impression = { ts: at, pageType: 'product', labels, source: 'web' };
const record = {
  name: 'san_SearchTerm',
  group: 'san',
  description: 'The term a visitor typed into the site search box. '.repeat(10),
  ownerTeam: 'search',
  valueType: { kind: 'string' },
  examples: ['shoes', 'red dress', 'sneakers 42'],
  pii: { isPii: false, category: 'none' },
  tags: ['search', 'core'],
  status: 'active',
  startOfUse: '2024-01-01',
  createdBy: 'ana',
  createdAt: at,
  updatedBy: 'ben',
  updatedAt: at,
};

/** Median nanoseconds per operation over `rounds` rounds of `iterations` calls. */
function measure(fn: () => unknown): number {
  for (let i = 0; i < 2_000; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return samples.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
}

const packr = new Packr({ useRecords: false });
const rows: Array<Array<string | number>> = [];
const counted = observeUnknownFields(impressionCodec, () => {});

for (const [name, value, codec, schema] of [
  ['impression (30 labels)', impression, impressionCodec, impressionSchema],
  ['label record', record, labelRecordCodec, labelRecordSchema],
] as const) {
  const json = Buffer.from(JSON.stringify(value));
  const packed = packr.pack(value);
  const cases: Array<[string, () => unknown]> = [
    ['baseline: JSON.parse', () => JSON.parse(json.toString('utf8'))],
    ['baseline: zod safeParse of a parsed object', () => schema.safeParse(value)],
    ['codec.decode (parse + zod + unknown-field scan)', () => codec.decode(json)],
    ['codec.encode', () => codec.encode(value as never)],
    ['candidate: msgpackr unpack', () => packr.unpack(packed)],
    ['candidate: msgpackr unpack + zod', () => schema.safeParse(packr.unpack(packed))],
    ['candidate: msgpackr pack', () => packr.pack(value)],
  ];
  if (name.startsWith('impression'))
    cases.push(['observeUnknownFields(codec).decode', () => counted.decode(json)]);
  for (const [label, fn] of cases) {
    const ns = measure(fn);
    rows.push([name, label, fmt(ns / 1000, 2), fmt(1e9 / ns / 1000, 1)]);
  }
  rows.push([name, `size: JSON ${json.length} B, MessagePack ${packed.length} B`, '', '']);
}

const table = markdownTable(['message', 'operation', 'µs/op (median)', 'k ops/s (one core)'], rows);
writeReport(
  'schemas-codecs',
  'Codec cost per message (JSON vs a MessagePack candidate)',
  `${iterations} calls × ${rounds} rounds per row, median round.\n\n${table}`,
);
