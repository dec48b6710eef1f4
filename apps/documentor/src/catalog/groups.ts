import type { CatalogEntry } from './types.js';

export interface GroupCoverage {
  group: string;
  /** Whether the group is in the schemas' group registry. */
  known: boolean;
  labels: number;
  documented: number;
  deprecated: number;
  tracked: number;
  trackedDocumented: number;
  /** Tracked in traffic but nobody documented them: the analysts' to-do list. */
  trackedUndocumented: number;
  /** Share of tracked labels that are documented (null when nothing is tracked). */
  coverage: number | null;
  /** Documented labels not seen in traffic for `staleDays` days (or never); null without tracking data. */
  staleDocumented: number | null;
  /** Up to 10 names of tracked undocumented labels, most-seen first. */
  undocumentedExamples: string[];
}

/** Per-group counts and documentation coverage, sorted by group. */
export function groupCoverage(
  entries: CatalogEntry[],
  opts: { trackingEnabled: boolean; staleDays: number; now: Date; isKnownGroup: (group: string) => boolean },
): GroupCoverage[] {
  const cutoff = new Date(opts.now.getTime() - opts.staleDays * 86_400_000).toISOString();
  const byGroup = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    const list = byGroup.get(e.group);
    if (list) list.push(e);
    else byGroup.set(e.group, [e]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, list]) => {
      const tracked = list.filter((e) => e.tracked);
      const trackedDocumented = tracked.filter((e) => e.documented).length;
      const undocumented = tracked
        .filter((e) => !e.documented)
        .sort((a, b) => (b.tracking?.totalCount ?? 0) - (a.tracking?.totalCount ?? 0));
      return {
        group,
        known: opts.isKnownGroup(group),
        labels: list.length,
        documented: list.filter((e) => e.documented).length,
        deprecated: list.filter((e) => e.label?.status === 'deprecated').length,
        tracked: tracked.length,
        trackedDocumented,
        trackedUndocumented: undocumented.length,
        coverage: tracked.length === 0 ? null : trackedDocumented / tracked.length,
        staleDocumented: opts.trackingEnabled
          ? list.filter((e) => e.documented && (e.tracking === null || e.tracking.lastSeen < cutoff)).length
          : null,
        undocumentedExamples: undocumented.slice(0, 10).map((e) => e.name),
      };
    });
}
