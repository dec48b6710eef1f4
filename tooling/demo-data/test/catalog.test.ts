import { impressionCodec, labelRecordSchema, parseLabelName } from '@labeldocs/schemas';
import { describe, expect, it } from 'vitest';
import {
  createDemoCatalog,
  createImpressionGenerator,
  createRng,
  demoLabelRecords,
  germanIban,
  luhnCardNumber,
} from '../src/index.js';

describe('demo catalog', () => {
  const catalog = createDemoCatalog();

  it('has 1,400 distinct well-formed labels in 25 groups, the same for the same seed', () => {
    expect(catalog.labels).toHaveLength(1_400);
    expect(new Set(catalog.labels.map((l) => l.name)).size).toBe(1_400);
    expect(new Set(catalog.labels.map((l) => l.group)).size).toBe(25);
    for (const label of catalog.labels) {
      const parsed = parseLabelName(label.name);
      expect(parsed.ok && parsed.group === label.group, label.name).toBe(true);
    }
    expect(catalog.byName.has('san_SearchTerm')).toBe(true);
    expect(catalog.byName.has('order_BasketItems')).toBe(true);
    expect(createDemoCatalog().labels.map((l) => l.name)).toEqual(catalog.labels.map((l) => l.name));
    expect(createDemoCatalog({ seed: 7 }).labels.map((l) => l.name)).not.toEqual(
      catalog.labels.map((l) => l.name),
    );
  });

  it('documents most labels, leaves some undocumented and deprecates some, all records valid', () => {
    const records = demoLabelRecords(catalog);
    const undocumented = catalog.labels.filter((l) => l.documentation === 'undocumented');
    expect(undocumented.length).toBeGreaterThan(50);
    expect(records.length).toBe(1_400 - undocumented.length);
    expect(records.filter((r) => r.status === 'deprecated').length).toBeGreaterThan(20);
    for (const record of records) expect(labelRecordSchema.safeParse(record).success, record.name).toBe(true);
    const pii = records.filter((r) => r.pii.isPii).map((r) => r.name);
    expect(pii).toEqual(expect.arrayContaining(['user_Email', 'pay_CardNumber', 'pay_Iban']));
  });

  it('generates valid impressions with a few labels on every one and a long tail', () => {
    const generator = createImpressionGenerator(catalog, { labelsPerImpression: 50, malformedRate: 0 });
    const seen = new Map<string, number>();
    let labels = 0;
    for (let i = 0; i < 2_000; i++) {
      const impression = generator.impression();
      expect(impressionCodec.validate(impression).ok).toBe(true);
      expect(impression.labels.page_PageType).toBe(impression.pageType);
      for (const name of Object.keys(impression.labels)) seen.set(name, (seen.get(name) ?? 0) + 1);
      labels += Object.keys(impression.labels).length;
    }
    expect(labels / 2_000).toBeGreaterThan(40);
    expect(labels / 2_000).toBeLessThan(60);
    expect(seen.get('user_SessionId')).toBe(2_000);
    const rare = [...seen.values()].filter((count) => count < 20).length;
    expect(rare).toBeGreaterThan(200);
  });

  it('emits undecodable records, new undocumented labels and odd names when asked to', () => {
    const generator = createImpressionGenerator(catalog, {
      malformedRate: 0.5,
      newLabelRate: 0.5,
      oddNameRate: 0.5,
    });
    const records = Array.from({ length: 400 }, () => generator.next());
    const bad = records.filter((r) => !r.ok);
    expect(bad.length).toBeGreaterThan(100);
    for (const r of bad) if (!r.ok) expect(impressionCodec.decode(r.bytes).ok).toBe(false);
    expect(generator.newLabels().length).toBeGreaterThan(10);
    for (const name of generator.newLabels()) expect(catalog.byName.has(name)).toBe(false);
  });

  it('makes card numbers that pass Luhn and IBANs that pass mod 97', () => {
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const card = luhnCardNumber(rng);
      const sum = [...card].reverse().reduce((acc, ch, idx) => {
        const d = Number(ch) * (idx % 2 === 1 ? 2 : 1);
        return acc + (d > 9 ? d - 9 : d);
      }, 0);
      expect(sum % 10).toBe(0);
      const iban = germanIban(rng);
      const moved = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) =>
        String(c.charCodeAt(0) - 55),
      );
      expect(BigInt(moved) % 97n).toBe(1n);
    }
  });
});

describe('demo groups', () => {
  it('are all in the schemas group registry, so only deliberately odd labels are unknown-group', async () => {
    const { isKnownGroup } = await import('@labeldocs/schemas');
    for (const group of createDemoCatalog().groups)
      expect(isKnownGroup(group.prefix), group.prefix).toBe(true);
  });
});
