import type { Versioned } from '@labeldocs/kv-store';
import type { TrackedLabel } from '@labeldocs/schemas';
import type { VersionedLabel } from '../catalog/types.js';

/** A label's response, serialized once. */
export interface CachedBody {
  readonly etag: string;
  readonly json: string;
}

interface Entry extends CachedBody {
  readonly version: number;
  readonly trackedVersion: number;
}

/**
 * The serialized `GET /labels/:name` body per label, reused for as long as neither the record nor its tracking
 * data changed. kv-store versions are per key and only ever grow (a delete takes a version too), so a matching
 * (record version, tracking version) pair means the body is still exactly right: no invalidation needed. Bounded:
 * past `maxEntries` (far above any catalog) it starts over.
 */
export class LabelBodyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  /** The cached body when `label` and `tracked` are the versions it was built from. */
  get(
    name: string,
    label: VersionedLabel | undefined,
    tracked: Versioned<TrackedLabel> | undefined,
  ): CachedBody | undefined {
    if (label === undefined) return undefined;
    const entry = this.#entries.get(name);
    return entry !== undefined &&
      entry.version === label.version &&
      entry.trackedVersion === (tracked?.version ?? 0)
      ? entry
      : undefined;
  }

  /** Serializes `body` (the view of `label` with `tracked`) and keeps it for the next read. */
  set(
    name: string,
    label: VersionedLabel,
    tracked: Versioned<TrackedLabel> | undefined,
    body: unknown,
  ): CachedBody {
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    const entry: Entry = {
      version: label.version,
      trackedVersion: tracked?.version ?? 0,
      etag: `"${label.version}"`,
      json: JSON.stringify(body),
    };
    this.#entries.set(name, entry);
    return entry;
  }
}
