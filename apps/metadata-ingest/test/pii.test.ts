import { createRng, germanIban, luhnCardNumber } from '@labeldocs/demo-data';
import { describe, expect, it } from 'vitest';
import { Aggregator, ibanValid, looksLikePii, luhnValid, sampleText } from '../src/index.js';

describe('PII-looking values', () => {
  it('spots e-mail addresses, Luhn-valid card numbers and IBANs, even inside other text', () => {
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) {
      const card = luhnCardNumber(rng);
      expect(luhnValid(card)).toBe(true);
      expect(looksLikePii(card)).toBe(true);
      expect(
        looksLikePii(`${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8, 12)} ${card.slice(12)}`),
      ).toBe(true);
      const iban = germanIban(rng);
      expect(ibanValid(iban)).toBe(true);
      expect(looksLikePii(`pay to ${iban} please`)).toBe(true);
    }
    expect(looksLikePii('write to anna.b+shop@mail.example.org')).toBe(true);
    expect(looksLikePii('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(sampleText(4111111111111111)).toBeUndefined();
    expect(sampleText({ contact: 'a@b.de' })).toBeUndefined();
  });

  it('lets ordinary values through: product ids, prices, 12-digit order numbers, near-miss card numbers', () => {
    for (const ok of [
      'red shoes',
      'A12345',
      '129.99',
      '100000000001',
      '4111111111111112',
      'DE00123',
      '@home',
    ]) {
      expect(looksLikePii(ok), ok).toBe(false);
      expect(sampleText(ok)).toBe(ok);
    }
    expect(sampleText('x'.repeat(500))).toHaveLength(200);
    expect(sampleText(['a', 1])).toBe('["a",1]');
  });

  it('never samples a label documented as PII, whatever its values look like', () => {
    const aggregator = new Aggregator({
      lastSeenIntervalMs: 60_000,
      isPii: (name) => name === 'user_Nickname',
      isKnownGroup: () => true,
      lookup: () => undefined,
    });
    for (let i = 0; i < 10; i++) {
      aggregator.addImpression(
        {
          ts: '2026-11-25T10:00:00Z',
          pageType: 'home',
          labels: { user_Nickname: `nick${i}`, page_Name: `p${i}` },
        },
        'i:0',
        i,
      );
    }
    expect(aggregator.entry('user_Nickname').pending.samples).toEqual([]);
    expect(aggregator.entry('page_Name').pending.samples).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });
});
