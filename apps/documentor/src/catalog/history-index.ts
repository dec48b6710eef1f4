import type { LabelChangeEvent } from '@labeldocs/schemas';
import type { LabelHistory, VersionedLabel } from './types.js';

/** The change log held in memory, per label, ordered by version; answers history and point-in-time reads. */
export class HistoryIndex implements LabelHistory {
  readonly #byLabel = new Map<string, LabelChangeEvent[]>();
  readonly #waiters = new Set<() => void>();
  #ready = false;
  #markReady!: () => void;
  readonly #readyPromise = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });

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

  /** Adds one event; a replayed duplicate (same label and version) is ignored. */
  add(event: LabelChangeEvent): void {
    const list = this.#byLabel.get(event.label) ?? [];
    if (list.some((e) => e.version === event.version)) return;
    list.push(event);
    if (list.length > 1 && list.at(-2)!.version > event.version) list.sort((a, b) => a.version - b.version);
    this.#byLabel.set(event.label, list);
    for (const wake of this.#waiters) wake();
  }

  /** The newest version the log holds for a label (0 if none). */
  latestVersion(label: string): number {
    return this.#byLabel.get(label)?.at(-1)?.version ?? 0;
  }

  eventsFor(label: string): readonly LabelChangeEvent[] {
    return this.#byLabel.get(label) ?? [];
  }

  stateAt(at: number): Map<string, VersionedLabel> {
    const state = new Map<string, VersionedLabel>();
    for (const [label, events] of this.#byLabel) {
      let last: LabelChangeEvent | undefined;
      for (const event of events) {
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
}
