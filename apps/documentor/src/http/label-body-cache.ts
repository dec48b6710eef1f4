import type { Versioned } from '@labeldocs/kv-store';
import type { TrackedLabel } from '@labeldocs/schemas';
import type { VersionedLabel } from '../catalog/types.js';

/** A label's response, serialized once. */
export interface CachedBody {
  readonly etag: string;
  readonly json: string;
}

interface Entry extends CachedBody {
  readonly label: VersionedLabel;
  readonly tracked: Versioned<TrackedLabel> | undefined;
}

/**
 * The serialized `GET /labels/:name` body per label, reused for as long as neither the record nor its tracking
 * data changed. kv-store hands out one `Versioned` object per applied record (kept until a newer record of the
 * key replaces it), so the very objects the body was built from mean the body is still exactly right: no
 * invalidation needed. Not the version numbers: a restore from backup writes records with their old versions,
 * after which a new write takes a version number this cache may have seen with other content. Bounded: past
 * `maxEntries` (far above any catalog) it starts over.
 */
export class LabelBodyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  /** The cached body when `label` and `tracked` are the records it was built from. */
  get(
    name: string,
    label: VersionedLabel | undefined,
    tracked: Versioned<TrackedLabel> | undefined,
  ): CachedBody | undefined {
    if (label === undefined) return undefined;
    const entry = this.#entries.get(name);
    return entry !== undefined && entry.label === label && entry.tracked === tracked ? entry : undefined;
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
      label,
      tracked,
      etag: `"${label.version}"`,
      json: JSON.stringify(body),
    };
    this.#entries.set(name, entry);
    return entry;
  }
}
