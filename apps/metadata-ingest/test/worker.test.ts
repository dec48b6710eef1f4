import type { Impression, LabelRecord } from '@labeldocs/schemas';
import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../src/index.js';
import {
  createInputTopics,
  documentLabels,
  freshTopics,
  impressionMessage,
  produce,
  startWorker,
  trackedView,
  waitFor,
} from './helpers.js';

const doc = (name: string, isPii: boolean): LabelRecord => ({
  name,
  group: name.split('_')[0]!,
  description: 'test',
  ownerTeam: 'test',
  valueType: { kind: 'string' },
  examples: [],
  pii: { isPii, category: isPii ? 'contact' : 'none' },
  tags: [],
  status: 'active',
  createdBy: 't',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 't',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

const SEARCHES = [
  'red shoes',
  'anna.b@example.com',
  '4111 1111 1111 1111',
  'DE89 3704 0044 0532 0130 00',
  'sofa',
];

function impressions(): Impression[] {
  return Array.from({ length: 60 }, (_, i) => ({
    ts: `2026-11-${i < 40 ? '24' : '25'}T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
    pageType: i % 2 === 0 ? 'search' : 'product',
    source: 'test',
    labels: {
      san_SearchTerm: SEARCHES[i % SEARCHES.length]!,
      user_Email: `person${i}@example.com`,
      user_Nickname: `nick${i % 3}`,
      prd_Price: i % 10 === 0 ? String(i) : i,
      SearchTerm: 'x',
      zzz_Unknown: true,
    },
  }));
}

describe('metadata-ingest worker (real Kafka)', () => {
  it('aggregates labels, flags odd names, never samples PII, merges aggregates and dead-letters bad records', async () => {
    const t = freshTopics();
    await createInputTopics(t, 3);
    await documentLabels(t, [doc('user_Email', true), doc('san_SearchTerm', false)]);
    const worker = await startWorker(t);
    await produce(t.impressions, [
      ...impressions().map((imp, i) => impressionMessage(imp, i % 3)),
      { value: 'not json', partition: 1 },
      { value: JSON.stringify({ pageType: 'home', labels: {} }), partition: 2 },
    ]);
    await produce(t.aggregates, [
      {
        value: JSON.stringify({
          name: 'prd_Price',
          windowStart: '2026-11-25T09:00:00.000Z',
          windowEnd: '2026-11-25T09:05:00.000Z',
          count: 100,
          valueTypes: ['number'],
          samples: ['12.5', 'bob@example.com'],
          pageTypes: ['cart'],
          source: 'edge-aggregator',
        }),
      },
      {
        value: JSON.stringify({
          name: 'prd_Colour',
          windowStart: '2026-11-25T09:00:00.000Z',
          windowEnd: '2026-11-25T09:05:00.000Z',
          count: 7,
          valueTypes: ['string'],
          samples: ['blue', 'bob@example.com', '4111111111111111'],
          source: 'edge-aggregator',
        }),
      },
    ]);
    const view = await trackedView(t);
    const price = await waitFor('prd_Price counted', () => {
      const v = view.get('prd_Price')?.value;
      return v !== undefined && v.totalCount === 160 ? v : undefined;
    });
    await worker.commit();
    expect(price.dailyCounts).toEqual({ '2026-11-24': 40, '2026-11-25': 120 });
    expect(price.valueTypes).toEqual(['string', 'number']);
    expect(price.pageTypes.sort()).toEqual(['cart', 'product', 'search']);
    expect(price.sources.sort()).toEqual(['edge-aggregator', 'test']);
    expect(price.samples).toHaveLength(5);
    const colour = await waitFor('prd_Colour from the aggregates topic', () => view.get('prd_Colour')?.value);
    expect(colour).toMatchObject({ totalCount: 7, samples: ['blue'], valueTypes: ['string'] });
    expect(price.firstSeen).toBe('2026-11-24T10:00:00.000Z');

    const search = view.get('san_SearchTerm')!.value;
    expect(search.totalCount).toBe(60);
    expect(search.samples.sort()).toEqual(['red shoes', 'sofa']);
    expect(view.get('user_Email')!.value.samples).toEqual([]);
    expect(view.get('user_Email')!.value.totalCount).toBe(60);
    expect(view.get('user_Nickname')!.value.samples.sort()).toEqual(['nick0', 'nick1', 'nick2']);

    expect(view.get('SearchTerm')!.value).toMatchObject({
      nameValid: false,
      knownGroup: false,
      totalCount: 60,
    });
    expect(view.get('zzz_Unknown')!.value).toMatchObject({
      nameValid: true,
      knownGroup: false,
      group: 'zzz',
    });
    expect(view.get('san_SearchTerm')!.value).toMatchObject({
      nameValid: true,
      knownGroup: true,
      group: 'san',
    });

    const dead = await readAll(t.dlq, 2);
    const reasons = dead.map((m) => String(m.headers[DLQ_HEADERS.reason])).sort();
    expect(reasons[0]).toMatch(/^\(root\): not valid JSON/);
    expect(reasons[1]).toMatch(/^ts: /);
    expect(dead.map((m) => m.value).sort()).toEqual(
      ['not json', JSON.stringify({ pageType: 'home', labels: {} })].sort(),
    );
    expect(dead.every((m) => m.headers[DLQ_HEADERS.topic] === t.impressions)).toBe(true);

    const metrics = await worker.options.registry.metrics();
    expect(metrics).toMatch(/metadata_ingest_dlq_records_total\{[^}]*\} 2/);
    expect(metrics).toMatch(/metadata_ingest_decode_failures_total\{[^}]*topic="[^"]+impressions"[^}]*\} 2/);
    await waitFor('flag metrics', () => worker.aggregator.stats.malformedNameObservations === 60);
    expect(worker.aggregator.stats.unknownGroupObservations).toBe(60);
    expect(metrics).toMatch(/metadata_ingest_labels_per_impression_count\{[^}]*\} 60/);
  });
});

async function readAll(topic: string, count: number) {
  const consumer = createTestKafka().consumer({ groupId: `${topic}-reader` });
  const out: Array<{ value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push({
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  await waitFor(`${count} records on ${topic}`, () => out.length >= count);
  await consumer.disconnect();
  return out;
}
