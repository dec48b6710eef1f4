import type { Change } from '@labeldocs/kv-store';
import type { TrackedLabel } from '@labeldocs/schemas';
import { isDocumented } from './catalog-view.js';
import type { LabelStore, TrackedStore } from './types.js';

/** One tracked-label change the UI cares about, as `event: tracked` carries it. */
export interface TrackedNotice {
  name: string;
  group: string;
  /** `new`: first seen in traffic; `back`: seen again after at least a day; `gone`: deleted from the topic. */
  kind: 'new' | 'back' | 'gone';
  documented: boolean;
  /** Whether the name follows `<group>_<Name>` (the catalog lists only those). */
  nameValid: boolean;
  knownGroup: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  totalCount: number;
}

export interface TrackedFeedOptions {
  /** How long changes are collected into one batch; default 250 ms. */
  coalesceMs?: number;
  /** Most notices in one batch; the rest follow in the next ones. Default 500. */
  maxBatch?: number;
}

const DAY_MS = 86_400_000;

/**
 * Turns the tracked-label store's changes into batches of notices for the event stream. metadata-ingest
 * rewrites every active label once per commit interval; only a new label, a label seen again after a gap of
 * a day or more (the smallest `staleDays`, so it may have stopped being stale) and a deletion matter to the
 * UI, so those are kept and everything else is dropped here. Notices are coalesced per label and sent at
 * most once per `coalesceMs`, so the ~1,400 first-time writes when traffic starts become a handful of
 * events instead of 1,400. Nothing is collected while nobody listens.
 */
export class TrackedFeed {
  private readonly listeners = new Set<(batch: TrackedNotice[]) => void>();
  private readonly pending = new Map<string, TrackedNotice>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readonly coalesceMs: number;
  private readonly maxBatch: number;

  constructor(
    tracked: TrackedStore,
    private readonly labels: LabelStore,
    options: TrackedFeedOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 250;
    this.maxBatch = options.maxBatch ?? 500;
    this.unsubscribe = tracked.subscribe((change) => this.onChange(change));
  }

  /** Calls `listener` with every batch from now on; returns the unsubscribe function. */
  subscribe(listener: (batch: TrackedNotice[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.listeners.clear();
  }

  private onChange(change: Change<TrackedLabel>): void {
    if (this.listeners.size === 0) return;
    const kind = kindOf(change);
    if (kind === undefined) return;
    const value = change.current?.value ?? change.previous?.value;
    // A label first seen and deleted within one batch is still reported with its latest state.
    const earlier = this.pending.get(change.key);
    this.pending.set(change.key, {
      name: change.key,
      group: value?.group ?? '',
      kind: earlier?.kind === 'new' && kind !== 'gone' ? 'new' : kind,
      documented: isDocumented(this.labels.get(change.key)?.value),
      nameValid: value?.nameValid ?? false,
      knownGroup: value?.knownGroup ?? false,
      firstSeen: change.current?.value.firstSeen ?? null,
      lastSeen: change.current?.value.lastSeen ?? null,
      totalCount: change.current?.value.totalCount ?? 0,
    });
    this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    const batch: TrackedNotice[] = [];
    for (const [name, notice] of this.pending) {
      if (batch.length === this.maxBatch) break;
      batch.push(notice);
      this.pending.delete(name);
    }
    if (this.pending.size > 0) this.timer = setTimeout(() => this.flush(), this.coalesceMs).unref();
    if (batch.length === 0) return;
    for (const listener of this.listeners) listener(batch);
  }
}

function kindOf(change: Change<TrackedLabel>): TrackedNotice['kind'] | undefined {
  if (change.current === undefined) return change.previous === undefined ? undefined : 'gone';
  if (change.previous === undefined) return 'new';
  const gap = Date.parse(change.current.value.lastSeen) - Date.parse(change.previous.value.lastSeen);
  return gap >= DAY_MS ? 'back' : undefined;
}
