import type { LabelChangeEvent } from '@labeldocs/schemas';
import type { LabelHistory, VersionedLabel } from './types.js';

/** One change of a label: decoded, or still the bytes kv-store handed over (decoded on first read). */
interface Entry {
  version: number;
  event: LabelChangeEvent | undefined;
  bytes: Buffer | undefined;
}

/** Decodes an event's bytes; undefined when they are not a valid change event of `label`. */
export type EventDecoder = (bytes: Buffer, label: string) => LabelChangeEvent | undefined;

/**
 * The change log held in memory, per label, ordered by version; answers history and point-in-time reads.
 * Encoded events are indexed by label and version only and decoded when a history or `asOf` read first needs
 * them: adding one is cheap, because it happens on the write path (kv-store hands a writer's own event over
 * before its put resolves) and for every event of the log at start.
 */
export class HistoryIndex implements LabelHistory {
  readonly #byLabel = new Map<string, Entry[]>();
  readonly #waiters = new Set<() => void>();
  readonly #decode: EventDecoder;
  #undecodable = 0;
  #ready = false;
  #markReady!: () => void;
  readonly #readyPromise = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });

  constructor(decode: EventDecoder = () => undefined) {
    this.#decode = decode;
  }

  get isReady(): boolean {
    return this.#ready;
  }

  /** Resolves once the whole log (as it was at start) is indexed. */
  ready(): Promise<void> {
    return this.#readyPromise;
  }

  markReady(): void {
    this.#ready = true;
    this.#markReady();
  }

  get size(): number {
    return this.#byLabel.size;
  }

  /** Events skipped because their bytes did not decode (counted when first read). */
  get undecodable(): number {
    return this.#undecodable;
  }

  /** Adds one decoded event; a replayed duplicate (same label and version) is ignored. */
  add(event: LabelChangeEvent): void {
    this.#insert(event.label, { version: event.version, event, bytes: undefined });
  }

  /**
   * Adds one event as bytes, to be decoded when first read; a replayed duplicate is ignored. Without its
   * version (an event record without a `kv-version` header) it is decoded now, for the version inside.
   */
  addEncoded(label: string, version: number | undefined, bytes: Buffer): void {
    if (version !== undefined) {
      this.#insert(label, { version, event: undefined, bytes });
      return;
    }
    const event = this.#decode(bytes, label);
    if (event === undefined) this.#undecodable += 1;
    else this.add(event);
  }

  /** The newest version the log holds for a label (0 if none). */
  latestVersion(label: string): number {
    return this.#byLabel.get(label)?.at(-1)?.version ?? 0;
  }

  eventsFor(label: string): readonly LabelChangeEvent[] {
    const events: LabelChangeEvent[] = [];
    for (const entry of this.#byLabel.get(label) ?? []) {
      const event = this.#decoded(entry, label);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  stateAt(at: number): Map<string, VersionedLabel> {
    const state = new Map<string, VersionedLabel>();
    for (const label of this.#byLabel.keys()) {
      let last: LabelChangeEvent | undefined;
      for (const event of this.eventsFor(label)) {
        if (Date.parse(event.at) > at) break;
        last = event;
      }
      if (last?.after) state.set(label, { value: last.after, version: last.version });
    }
    return state;
  }

  waitFor(label: string, version: number, timeoutMs: number): Promise<void> {
    const has = () => this.latestVersion(label) >= version;
    if (has()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (has()) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(check);
    });
  }

  #insert(label: string, entry: Entry): void {
    let list = this.#byLabel.get(label);
    if (list === undefined) {
      list = [];
      this.#byLabel.set(label, list);
    }
    // Events arrive in version order (one partition per label), so the common case is an append.
    const last = list.at(-1);
    if (last === undefined || last.version < entry.version) list.push(entry);
    else if (list.some((e) => e.version === entry.version)) return;
    else {
      list.push(entry);
      list.sort((a, b) => a.version - b.version);
    }
    for (const wake of this.#waiters) wake();
  }

  #decoded(entry: Entry, label: string): LabelChangeEvent | undefined {
    if (entry.bytes !== undefined) {
      entry.event = this.#decode(entry.bytes, label);
      entry.bytes = undefined;
      if (entry.event === undefined) this.#undecodable += 1;
    }
    return entry.event;
  }
}
