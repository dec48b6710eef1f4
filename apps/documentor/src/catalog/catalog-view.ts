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

/**
 * The catalog: every documented label plus every tracked label with a valid name that has no record yet.
 * `tracked` is undefined when tracking data is not wired (or for point-in-time views).
 */
export function buildEntries(
  labels: ReadonlyMap<string, VersionedLabel>,
  tracked: ReadonlyMap<string, { value: TrackedLabel }> | undefined,
): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const [name, label] of labels) entries.push(entryOf(name, label, tracked?.get(name)?.value));
  if (tracked)
    for (const [name, t] of tracked)
      if (t.value.nameValid && !labels.has(name)) entries.push(entryOf(name, undefined, t.value));
  return entries;
}
