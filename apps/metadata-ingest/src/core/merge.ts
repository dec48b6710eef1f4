import { MAX_SAMPLES, OBSERVED_VALUE_TYPES } from '@labeldocs/schemas';
import { type LabelEntry, type Pending, partDays } from './label-entry.js';
import { looksLikePii } from './pii.js';
import type { TrackedLabelState } from './state.js';

export interface MergeOptions {
  /** Keep daily counts for this many days, ending at the newest day counted. */
  days: number;
  isPii: boolean;
  now: string;
}

export interface MergeResult {
  state: TrackedLabelState;
  /** Pending observations (by count) skipped because the record already covered their offsets. */
  duplicates: number;
  /**
   * Observations in pending ranges that straddled the stored offset: counted anyway (never lose), so this
   * is the most this write can have counted twice.
   */
  overlaps: number;
  /** False when the write would not change anything but `updatedAt`. */
  changed: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const union = <T>(a: readonly T[], b: Iterable<T>, max: number) => [...new Set([...a, ...b])].slice(0, max);

/** Applies one label's pending contributions to its stored record (pure; property-tested). */
export function mergeLabel(
  current: TrackedLabelState | undefined,
  entry: Pick<LabelEntry, 'name' | 'group' | 'nameValid' | 'knownGroup'>,
  pending: Pending,
  options: MergeOptions,
): MergeResult {
  const applied = { ...(current?.ingest.applied ?? {}) };
  const daily = new Map(Object.entries(current?.dailyCounts ?? {}));
  let total = current?.totalCount ?? 0;
  let duplicates = 0;
  let overlaps = 0;
  let counted = 0;
  for (const [slot, part] of pending.parts) {
    const stored = Number(applied[slot] ?? '0');
    if (part.next <= stored) {
      duplicates += part.count;
      continue;
    }
    if (part.first < stored) overlaps += part.count;
    applied[slot] = String(part.next);
    total += part.count;
    counted += part.count;
    for (const [day, n] of partDays(part)) daily.set(day, (daily.get(day) ?? 0) + n);
  }
  const days = [...daily.keys()].sort();
  const newest = days.at(-1);
  const cutoff =
    newest === undefined
      ? ''
      : iso(Date.parse(`${newest}T00:00:00Z`) - (options.days - 1) * 86_400_000).slice(0, 10);
  const dailyCounts = Object.fromEntries(days.filter((d) => d >= cutoff).map((d) => [d, daily.get(d)!]));

  const firstMs = Math.min(
    current ? Date.parse(current.firstSeen) : Number.POSITIVE_INFINITY,
    pending.firstSeen,
  );
  const lastMs = Math.max(
    current ? Date.parse(current.lastSeen) : Number.NEGATIVE_INFINITY,
    pending.lastSeen,
  );
  const types = new Set([...(current?.valueTypes ?? []), ...pending.types]);
  const samples = options.isPii
    ? []
    : union(
        (current?.samples ?? []).filter((s) => !looksLikePii(s)),
        pending.samples,
        MAX_SAMPLES,
      );
  const state: TrackedLabelState = {
    name: entry.name,
    ...(entry.group === undefined ? {} : { group: entry.group }),
    nameValid: entry.nameValid,
    knownGroup: entry.knownGroup,
    firstSeen: iso(Number.isFinite(firstMs) ? firstMs : Date.parse(options.now)),
    lastSeen: iso(Number.isFinite(lastMs) ? lastMs : Date.parse(options.now)),
    dailyCounts,
    totalCount: total,
    valueTypes: OBSERVED_VALUE_TYPES.filter((t) => types.has(t)),
    samples,
    pageTypes: union(current?.pageTypes ?? [], pending.pageTypes, 50),
    sources: union(current?.sources ?? [], pending.sources, 20),
    updatedAt: options.now,
    ingest: { applied },
  };
  const changed =
    current === undefined ||
    counted > 0 ||
    state.firstSeen !== current.firstSeen ||
    state.lastSeen !== current.lastSeen ||
    state.valueTypes.length !== current.valueTypes.length ||
    state.samples.join('\u0000') !== current.samples.join('\u0000') ||
    state.pageTypes.length !== current.pageTypes.length ||
    state.sources.length !== current.sources.length ||
    state.knownGroup !== current.knownGroup;
  return { state, duplicates, overlaps, changed };
}
