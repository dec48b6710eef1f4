import type { KeyValueStore, Versioned } from '@labeldocs/kv-store';
import type { LabelChangeEvent, LabelRecord, TrackedLabel } from '@labeldocs/schemas';

export type LabelStore = KeyValueStore<LabelRecord>;
export type TrackedStore = KeyValueStore<TrackedLabel>;
export type VersionedLabel = Versioned<LabelRecord>;

/** What traffic told us about a label, as the API shows it. */
export interface TrackingSummary {
  firstSeen: string;
  lastSeen: string;
  totalCount: number;
  valueTypes: string[];
}

/** One row of the catalog: a documented label, a tracked-but-undocumented one, or both. */
export interface CatalogEntry {
  name: string;
  group: string;
  /** null when the label has no documentation record. */
  version: number | null;
  documented: boolean;
  tracked: boolean;
  label: LabelRecord | null;
  tracking: TrackingSummary | null;
}

/** The change log, indexed: every label's events and the catalog at any past moment. */
export interface LabelHistory {
  readonly isReady: boolean;
  /** The newest version the log holds for a label (0 if none). */
  latestVersion(label: string): number;
  /** Every change of one label, oldest first. */
  eventsFor(label: string): readonly LabelChangeEvent[];
  /** The records as they were at `at` (ms since epoch), with their versions. */
  stateAt(at: number): Map<string, VersionedLabel>;
  /** Resolves once the index holds `version` of `label` (or after `timeoutMs`), so history reads its writes. */
  waitFor(label: string, version: number, timeoutMs: number): Promise<void>;
}
