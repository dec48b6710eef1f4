import {
  type FieldError,
  labelRecordCodec,
  type PublicLabel,
  publicLabelCodec,
  type TrackedLabel,
  trackedLabelCodec,
} from '@labeldocs/schemas';
import { canonicalJson, type DocumentedLabel, type JoinOptions, joinLabel, reconcile } from './join.js';

/** kv-store stamps every state record with its per-key version in this header (decimal string, kv-store's `H.version`). */
export const VERSION_HEADER = 'kv-version';

export type SourceSide = 'labels' | 'tracked';

/** One record read from a source or the public topic, as the join needs it. */
export interface SourceRecord {
  key: string | null;
  value: Buffer | null;
  headers?: Record<string, unknown> | undefined;
}

/** One record to produce to the public topic: the new public value, or null for a tombstone. */
export interface Publication {
  key: string;
  value: PublicLabel | null;
}

export type InvalidRecordListener = (
  side: SourceSide | 'public',
  key: string | null,
  errors: FieldError[],
) => void;

function headerVersion(headers: SourceRecord['headers']): number | undefined {
  const raw = headers?.[VERSION_HEADER];
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
  const n = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * The publisher's whole memory: the current state of both source topics per label, and what was last
 * published per label. Everything is rebuilt from the topics on start, so nothing here needs persisting.
 */
export class JoinState {
  readonly docs = new Map<string, DocumentedLabel>();
  readonly tracked = new Map<string, TrackedLabel>();
  /** Last published record per key; `undefined` value = a record that no longer decodes (republished). */
  private readonly published = new Map<string, { record: PublicLabel | undefined; json: string }>();

  constructor(
    private readonly options: JoinOptions,
    private readonly onInvalid: InvalidRecordListener = () => undefined,
  ) {}

  /** Applies a source record; returns the label it touched, or undefined when the record was unusable. */
  applySource(side: SourceSide, record: SourceRecord): string | undefined {
    const key = record.key;
    if (key === null || key === '') {
      this.onInvalid(side, key, [{ path: '(key)', message: 'must be the label name' }]);
      return undefined;
    }
    if (record.value === null) {
      if (side === 'labels') this.docs.delete(key);
      else this.tracked.delete(key);
      return key;
    }
    if (side === 'labels') {
      const decoded = labelRecordCodec.decode(record.value);
      if (!decoded.ok) return void this.onInvalid(side, key, decoded.errors);
      this.docs.set(key, { record: decoded.value, version: headerVersion(record.headers) ?? 1 });
    } else {
      const decoded = trackedLabelCodec.decode(record.value);
      if (!decoded.ok) return void this.onInvalid(side, key, decoded.errors);
      this.tracked.set(key, decoded.value);
    }
    return key;
  }

  /** Applies a record read back from the public topic (start-up only). */
  applyPublished(record: SourceRecord): void {
    if (record.key === null) return;
    if (record.value === null) {
      this.published.delete(record.key);
      return;
    }
    const decoded = publicLabelCodec.decode(record.value);
    if (!decoded.ok) this.onInvalid('public', record.key, decoded.errors);
    const value = decoded.ok ? decoded.value : undefined;
    this.published.set(record.key, { record: value, json: value === undefined ? '' : canonicalJson(value) });
  }

  publishedRecord(key: string): PublicLabel | undefined {
    return this.published.get(key)?.record;
  }

  publishedKeys(): IterableIterator<string> {
    return this.published.keys();
  }

  publishedCount(): number {
    return this.published.size;
  }

  /** Every key either side or the public topic knows. */
  allKeys(): Set<string> {
    return new Set([...this.docs.keys(), ...this.tracked.keys(), ...this.published.keys()]);
  }

  /**
   * What must be produced so the public topic shows the join for `keys`: nothing for a key whose public
   * record did not really change, unless `force` (republish) asks for every present key again.
   */
  diff(keys: Iterable<string>, force = false): Publication[] {
    const out: Publication[] = [];
    for (const key of keys) {
      const previous = this.published.get(key);
      const candidate = joinLabel(key, this.docs.get(key), this.tracked.get(key), this.options);
      if (candidate === undefined) {
        if (previous !== undefined) out.push({ key, value: null });
        continue;
      }
      const next = reconcile(previous?.record, candidate);
      if (force || previous === undefined || canonicalJson(next) !== previous.json)
        out.push({ key, value: next });
    }
    return out;
  }

  /** Records publications once their transaction committed. */
  markPublished(publications: readonly Publication[]): void {
    for (const { key, value } of publications) {
      if (value === null) this.published.delete(key);
      else this.published.set(key, { record: value, json: canonicalJson(value) });
    }
  }

  /** The highest schema version found on the public topic, for the compatibility check. */
  publishedSchemaVersions(): Set<string> {
    const versions = new Set<string>();
    for (const { record } of this.published.values()) if (record) versions.add(record.schemaVersion);
    return versions;
  }
}
