import { PAGE_TYPES } from './groups.js';
import type { Rng } from './rng.js';

export type StringStyle =
  | 'word'
  | 'id'
  | 'url'
  | 'search'
  | 'email'
  | 'phone'
  | 'card'
  | 'iban'
  | 'zip'
  | 'street'
  | 'product';

/** How to generate a label's values. */
export type ValueSpec =
  | { kind: 'string'; style: StringStyle }
  | { kind: 'number'; max: number; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list' }
  | { kind: 'json' };

type Pii = { isPii: boolean; category: 'none' | 'identifier' | 'contact' | 'location' | 'financial' };
const NO_PII: Pii = { isPii: false, category: 'none' };
const s = (style: StringStyle, pii: Pii = NO_PII) => ({ value: { kind: 'string', style } as const, pii });
const n = (max: number, integer = true) => ({
  value: { kind: 'number', max, integer } as const,
  pii: NO_PII,
});
const e = (values: readonly string[]) => ({ value: { kind: 'enum', values } as const, pii: NO_PII });

/** The hand-named labels and what their values look like; PII ones say so. */
export const WELL_KNOWN_VALUES: Record<string, { value: ValueSpec; pii: Pii }> = {
  page_PageType: e(PAGE_TYPES),
  page_PageName: s('word'),
  page_Url: s('url'),
  page_Locale: e(['de-DE', 'en-GB', 'fr-FR', 'nl-NL', 'it-IT']),
  page_Platform: e(['web', 'ios', 'android']),
  page_Release: s('id'),
  cns_ConsentState: e(['accepted', 'rejected', 'partial']),
  user_LoginState: e(['anonymous', 'recognised', 'logged-in']),
  user_SessionId: s('id'),
  user_CustomerId: s('id', { isPii: true, category: 'identifier' }),
  user_Email: s('email', { isPii: true, category: 'contact' }),
  user_Phone: s('phone', { isPii: true, category: 'contact' }),
  perf_LoadTime: n(8_000),
  san_SearchTerm: s('search'),
  san_ResultCount: n(5_000),
  san_SortOrder: e(['relevance', 'price-asc', 'price-desc', 'newest', 'rating']),
  prd_ProductId: s('id'),
  prd_ProductName: s('product'),
  prd_Price: n(2_000, false),
  cat_CategoryPath: s('word'),
  cart_ItemCount: n(30),
  cart_Value: n(5_000, false),
  chk_Step: n(5),
  order_OrderId: s('id'),
  order_BasketItems: { value: { kind: 'list' }, pii: NO_PII },
  order_Revenue: n(5_000, false),
  pay_Method: e(['card', 'paypal', 'invoice', 'sepa', 'klarna']),
  pay_CardNumber: s('card', { isPii: true, category: 'financial' }),
  pay_Iban: s('iban', { isPii: true, category: 'financial' }),
  cmp_CampaignId: s('id'),
  ab_ExperimentId: s('id'),
  err_ErrorCode: e(['404', '500', '503', 'timeout']),
  ship_ZipCode: s('zip', { isPii: true, category: 'location' }),
  ship_Street: s('street', { isPii: true, category: 'location' }),
};

const WORDS = ['red', 'shoes', 'sofa', 'lamp', 'jacket', 'garden', 'kids', 'sale', 'coffee', 'desk', 'phone'];
const NAMES = ['anna', 'ben', 'chris', 'dana', 'eva', 'finn', 'greta', 'hugo'];

/** A 16-digit number that passes the Luhn check, like a real card number. */
export function luhnCardNumber(rng: Rng): string {
  const digits = [4, ...Array.from({ length: 14 }, () => rng.int(0, 9))];
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = digits[14 - i]!;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

/** A German IBAN with valid check digits (ISO 13616, mod 97). */
export function germanIban(rng: Rng): string {
  const bban = Array.from({ length: 18 }, () => rng.int(0, 9)).join('');
  const numeric = `${bban}131400`; // "DE00" moved to the end, letters as numbers (D=13, E=14)
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return `DE${String(98 - rest).padStart(2, '0')}${bban}`;
}

export const email = (rng: Rng) => `${rng.pick(NAMES)}.${rng.pick(NAMES)}${rng.int(1, 99)}@example.com`;

function stringValue(style: StringStyle, rng: Rng): string {
  switch (style) {
    case 'id':
      return `${rng.pick(['A', 'B', 'C', 'X'])}${rng.int(10_000, 99_999)}`;
    case 'url':
      return `https://shop.example.com/${rng.pick(WORDS)}/${rng.int(1, 500)}`;
    case 'search':
      // People paste odd things into search boxes: these must never become samples.
      if (rng.chance(0.01)) return email(rng);
      if (rng.chance(0.005)) return luhnCardNumber(rng);
      return `${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
    case 'email':
      return email(rng);
    case 'phone':
      return `+49 151 ${rng.int(1_000_000, 9_999_999)}`;
    case 'card':
      return luhnCardNumber(rng);
    case 'iban':
      return germanIban(rng);
    case 'zip':
      return String(rng.int(10_000, 99_999));
    case 'street':
      return `${rng.pick(WORDS)}strasse ${rng.int(1, 120)}`;
    case 'product':
      return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(1, 9)}`;
    default:
      return rng.pick(WORDS);
  }
}

/** One value for a label, as a tracking script would send it. */
export function generateValue(spec: ValueSpec, rng: Rng): unknown {
  switch (spec.kind) {
    case 'string':
      return stringValue(spec.style, rng);
    case 'number':
      return spec.integer ? rng.int(0, spec.max) : Math.round(rng.next() * spec.max * 100) / 100;
    case 'boolean':
      return rng.chance(0.5);
    case 'enum':
      return rng.pick(spec.values);
    case 'list':
      return Array.from({ length: rng.int(1, 4) }, () => stringValue('id', rng));
    case 'json':
      return { id: stringValue('id', rng), position: rng.int(1, 20), visible: rng.chance(0.8) };
  }
}
