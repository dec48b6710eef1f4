import type { Versioned } from '@labeldocs/kv-store';
import type { LabelRecord, TrackedLabel } from '@labeldocs/schemas';
import { parseLabelName } from '@labeldocs/schemas';
import type { CatalogEntry, TrackingSummary, VersionedLabel } from './types.js';

/** Documented means someone wrote a description; an empty draft does not count. */
export const isDocumented = (record: LabelRecord | undefined): boolean =>
  record !== undefined && record.description.trim() !== '';

export const trackingOf = (t: TrackedLabel | undefined): TrackingSummary | null =>
  t === undefined
    ? null
    : {
        firstSeen: t.firstSeen,
        lastSeen: t.lastSeen,
        totalCount: t.totalCount,
        valueTypes: [...t.valueTypes],
      };

export function entryOf(
  name: string,
  label: VersionedLabel | undefined,
  tracked: TrackedLabel | undefined,
): CatalogEntry {
  const group =
    label?.value.group ??
    (tracked?.group ||
      (() => {
        const parsed = parseLabelName(name);
        return parsed.ok ? parsed.group : '';
      })());
  return {
    name,
    group,
    version: label?.version ?? null,
    documented: isDocumented(label?.value),
    tracked: tracked !== undefined,
    label: label?.value ?? null,
    tracking: trackingOf(tracked),
  };
}

/** Read access to a store without copying it (kv-store's `snapshot()` copies the whole map). */
export interface EntrySource<T> {
  get(key: string): Versioned<T> | undefined;
  entries(): IterableIterator<[string, Versioned<T>]>;
}

/**
 * The catalog: every documented label plus every tracked label with a valid name that has no record yet.
 * `tracked` is undefined when tracking data is not wired (or for point-in-time views). `group` skips other
 * groups before any row is built.
 */
export function buildEntries(
  labels: EntrySource<LabelRecord>,
  tracked: EntrySource<TrackedLabel> | undefined,
  group?: string,
): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const [name, label] of labels.entries()) {
    if (group !== undefined && label.value.group !== group) continue;
    entries.push(entryOf(name, label, tracked?.get(name)?.value));
  }
  if (tracked)
    for (const [name, t] of tracked.entries()) {
      if (!t.value.nameValid || labels.get(name) !== undefined) continue;
      const entry = entryOf(name, undefined, t.value);
      if (group === undefined || entry.group === group) entries.push(entry);
    }
  return entries;
}
