import { ATTRIBUTES, DEMO_GROUPS, type DemoGroup, PAGE_TYPES, type PageType } from './groups.js';
import { createRng, shuffled } from './rng.js';
import { type ValueSpec, WELL_KNOWN_VALUES } from './values.js';

export type DocumentationState = 'documented' | 'deprecated' | 'undocumented';

export interface DemoLabel {
  name: string;
  group: string;
  value: ValueSpec;
  /** Sent on every impression of an eligible page type (page context, session, ...). */
  everyImpression: boolean;
  /** Relative popularity among the other labels: a long tail. */
  weight: number;
  pii: { isPii: boolean; category: 'none' | 'identifier' | 'contact' | 'location' | 'financial' };
  documentation: DocumentationState;
  pageTypes: readonly PageType[];
  ownerTeam: string;
}

export interface DemoCatalog {
  seed: number;
  groups: readonly DemoGroup[];
  labels: readonly DemoLabel[];
  byName: ReadonlyMap<string, DemoLabel>;
}

export interface DemoCatalogOptions {
  /** Same seed, same catalog. Default 42. */
  seed?: number;
  /** Number of labels. Default 1,400. */
  labels?: number;
  /** Number of groups (the first ones of the demo site, then synthetic `grp26`, ...). Default 25. */
  groups?: number;
}

const EVERY_IMPRESSION = new Set([
  'page_PageType',
  'page_PageName',
  'page_Url',
  'page_Locale',
  'page_Platform',
  'page_Release',
  'cns_ConsentState',
  'user_LoginState',
  'user_SessionId',
  'perf_LoadTime',
]);

function groupsFor(count: number): DemoGroup[] {
  const out = DEMO_GROUPS.slice(0, count);
  for (let i = out.length; i < count; i++) {
    const base = DEMO_GROUPS[i % DEMO_GROUPS.length]!;
    out.push({ ...base, prefix: `grp${i + 1}`, title: `Group ${i + 1}`, wellKnown: [] });
  }
  return out;
}

function candidateNames(group: DemoGroup, quota: number, seed: number): string[] {
  const names = [...group.wellKnown];
  const combos = shuffled(
    createRng(seed),
    group.stems.flatMap((stem) => ATTRIBUTES.map(([attr]) => `${group.prefix}_${stem}${attr}`)),
  );
  for (let round = 0; names.length < quota; round++) {
    for (const combo of combos) {
      const name = round === 0 ? combo : `${combo}${round + 1}`;
      if (!names.includes(name)) names.push(name);
      if (names.length >= quota) break;
    }
  }
  return names.slice(0, quota);
}

function specFor(name: string, rngValue: number): ValueSpec {
  const known = WELL_KNOWN_VALUES[name];
  if (known !== undefined) return known.value;
  const attr = ATTRIBUTES.find(([a]) => name.replace(/\d+$/, '').endsWith(a));
  switch (attr?.[1]) {
    case 'number':
      return { kind: 'number', max: rngValue < 0.5 ? 100 : 10_000, integer: rngValue < 0.7 };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return {
        kind: 'enum',
        values: ['alpha', 'beta', 'gamma', 'delta', 'omega'].slice(0, (2 + rngValue * 4) | 0),
      };
    case 'list':
      return { kind: 'list' };
    case 'json':
      return { kind: 'json' };
    default:
      return { kind: 'string', style: name.endsWith('Id') ? 'id' : 'word' };
  }
}

/** The demo site's label catalog: deterministic for a seed, realistic names, popularity and documentation. */
export function createDemoCatalog(options: DemoCatalogOptions = {}): DemoCatalog {
  const seed = options.seed ?? 42;
  const total = options.labels ?? 1_400;
  const groups = groupsFor(options.groups ?? 25);
  if (groups.length === 0 || total < groups.length)
    throw new RangeError('createDemoCatalog: need at least one group and one label per group');
  const rng = createRng(seed);
  const labels: DemoLabel[] = [];
  groups.forEach((group, gi) => {
    const quota = Math.floor(total / groups.length) + (gi < total % groups.length ? 1 : 0);
    for (const name of candidateNames(group, quota, seed + gi)) {
      const known = WELL_KNOWN_VALUES[name];
      const pii = known?.pii ?? { isPii: false, category: 'none' as const };
      const roll = rng.next();
      const pinned = known !== undefined || EVERY_IMPRESSION.has(name);
      labels.push({
        name,
        group: group.prefix,
        value: specFor(name, rng.next()),
        everyImpression: EVERY_IMPRESSION.has(name),
        weight: 0,
        pii,
        documentation: pinned
          ? 'documented'
          : roll < 0.08
            ? 'undocumented'
            : roll < 0.13
              ? 'deprecated'
              : 'documented',
        pageTypes: group.pageTypes.length === 0 ? PAGE_TYPES : group.pageTypes,
        ownerTeam: group.ownerTeam,
      });
    }
  });
  // Popularity: well-known labels lead, the rest follow a Zipf-like tail in a seeded order.
  const ranked = [
    ...labels.filter((l) => WELL_KNOWN_VALUES[l.name] !== undefined),
    ...shuffled(
      rng,
      labels.filter((l) => WELL_KNOWN_VALUES[l.name] === undefined),
    ),
  ];
  ranked.forEach((label, rank) => {
    label.weight = 1 / (1 + rank / 10) ** 1.2;
  });
  return { seed, groups, labels, byName: new Map(labels.map((l) => [l.name, l])) };
}
