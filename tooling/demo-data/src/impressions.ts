import type { Impression } from '@labeldocs/schemas';
import type { DemoCatalog, DemoLabel } from './catalog.js';
import { PAGE_TYPES } from './groups.js';
import { createRng, type Rng } from './rng.js';
import { generateValue } from './values.js';

export interface ImpressionGeneratorOptions {
  seed?: number;
  /** Mean labels per impression, every-impression labels included. Default 40. */
  labelsPerImpression?: number;
  /** Chance per impression of adding a label nobody documented yet. Default 0.0005. */
  newLabelRate?: number;
  /** Chance per impression of emitting undecodable bytes instead. Default 0.0002. */
  malformedRate?: number;
  /** Chance per impression of a label whose name breaks `<group>_<Name>` or uses an unknown group. Default 0.0005. */
  oddNameRate?: number;
  source?: string;
  /** The impression timestamp in ms. Default Date.now. */
  now?: () => number;
}

/** One generated record: the impression, or bytes that must end in the dead-letter topic. */
export type GeneratedRecord =
  | { ok: true; impression: Impression }
  | { ok: false; bytes: Buffer; reason: string };

const MALFORMED: ReadonlyArray<[string, string]> = [
  ['{"ts": "2026-11-25T10:00:00Z", "pageType": "home", "labels": {', 'truncated JSON'],
  ['{"pageType": "home", "labels": {}}', 'missing ts'],
  ['{"ts": "yesterday", "pageType": "home", "labels": {}}', 'ts is not a date-time'],
  ['{"ts": "2026-11-25T10:00:00Z", "pageType": "home", "labels": []}', 'labels is not an object'],
  ['not json at all', 'not JSON'],
];
const ODD_NAMES = ['SearchTerm', 'san-search-term', 'zzz_Unknown', 'Page_Type', 'tmp_DebugFlag'];

interface Eligible {
  always: DemoLabel[];
  tail: DemoLabel[];
  cumulative: Float64Array;
}

function eligibleFor(catalog: DemoCatalog, pageType: string): Eligible {
  const labels = catalog.labels.filter((l) => l.pageTypes.includes(pageType as never));
  const tail = labels.filter((l) => !l.everyImpression);
  const cumulative = new Float64Array(tail.length);
  let sum = 0;
  tail.forEach((l, i) => {
    sum += l.weight;
    cumulative[i] = sum;
  });
  return { always: labels.filter((l) => l.everyImpression), tail, cumulative };
}

function drawIndex(rng: Rng, cumulative: Float64Array): number {
  const target = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Simulated tracking traffic: page types weighted like a shop, a few labels on every impression, a long
 * tail drawn by popularity, now and then a brand-new undocumented label, an odd name or undecodable bytes.
 */
export function createImpressionGenerator(catalog: DemoCatalog, options: ImpressionGeneratorOptions = {}) {
  const rng = createRng(options.seed ?? catalog.seed + 1);
  const mean = options.labelsPerImpression ?? 40;
  const now = options.now ?? Date.now;
  const byPage = new Map(PAGE_TYPES.map((p) => [p, eligibleFor(catalog, p)]));
  const pageWeights = [20, 18, 16, 22, 8, 6, 3, 4, 2, 1];
  const pageCumulative = Float64Array.from(pageWeights, (_, i) =>
    pageWeights.slice(0, i + 1).reduce((a, b) => a + b, 0),
  );
  const newLabels: string[] = [];

  const impression = (): Impression => {
    const pageType = PAGE_TYPES[drawIndex(rng, pageCumulative)]!;
    const eligible = byPage.get(pageType)!;
    // A Map, not an object: adding keys in random order to an object makes V8 build a hidden class per order.
    const labels = new Map<string, unknown>();
    for (const label of eligible.always) labels.set(label.name, generateValue(label.value, rng));
    if (labels.has('page_PageType')) labels.set('page_PageType', pageType);
    const wanted = Math.max(0, Math.round((mean - eligible.always.length) * (0.7 + rng.next() * 0.6)));
    const target = Math.min(wanted, eligible.tail.length);
    let added = 0;
    for (let tries = 0; added < target && tries < target * 3; tries++) {
      const label = eligible.tail[drawIndex(rng, eligible.cumulative)]!;
      if (labels.has(label.name)) continue;
      labels.set(label.name, generateValue(label.value, rng));
      added++;
    }
    if (rng.chance(options.newLabelRate ?? 0.0005)) {
      newLabels.push(
        `${rng.pick(catalog.groups).prefix}_Fresh${rng.pick(['Banner', 'Toggle', 'Widget'])}${newLabels.length + 1}`,
      );
    }
    // A new label, once introduced, keeps showing up now and then.
    if (newLabels.length > 0 && rng.chance(0.05)) labels.set(rng.pick(newLabels), `v${rng.int(1, 9)}`);
    if (rng.chance(options.oddNameRate ?? 0.0005)) labels.set(rng.pick(ODD_NAMES), rng.int(0, 9));
    return {
      ts: new Date(now()).toISOString(),
      pageType,
      labels: Object.fromEntries(labels) as Impression['labels'],
      ...(options.source === undefined ? {} : { source: options.source }),
    };
  };

  return {
    /** Labels introduced so far that the catalog does not know. */
    newLabels: (): readonly string[] => newLabels,
    impression,
    next(): GeneratedRecord {
      if (rng.chance(options.malformedRate ?? 0.0002)) {
        const [text, reason] = rng.pick(MALFORMED);
        return { ok: false, bytes: Buffer.from(text), reason };
      }
      return { ok: true, impression: impression() };
    },
  };
}
export type ImpressionGenerator = ReturnType<typeof createImpressionGenerator>;
