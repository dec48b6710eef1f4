import { MAX_SAMPLES } from '@labeldocs/schemas';
import type { TrackedLabelState } from './state.js';
import type { ObservedValueType } from './value-type.js';

/** Counted but not yet written contributions of one input partition (a "slot") to one label. */
export interface PartPending {
  /** Lowest and next-after-highest offset counted. */
  first: number;
  next: number;
  count: number;
  days: Map<string, number>;
}

/** Everything counted for a label since its last successful write. */
export interface Pending {
  parts: Map<string, PartPending>;
  firstSeen: number;
  lastSeen: number;
  types: Set<ObservedValueType>;
  samples: string[];
  pageTypes: Set<string>;
  sources: Set<string>;
}

/** Why a label needs writing soon (a "meaningful change"); counts alone wait for the commit. */
export const REASON = { newLabel: 1, newType: 2, newDay: 4, lastSeen: 8 } as const;

export const emptyPending = (): Pending => ({
  parts: new Map(),
  firstSeen: Number.POSITIVE_INFINITY,
  lastSeen: Number.NEGATIVE_INFINITY,
  types: new Set(),
  samples: [],
  pageTypes: new Set(),
  sources: new Set(),
});

/** One label: what the stored record already holds (`known*`) and what is pending on top of it. */
export class LabelEntry {
  pending: Pending = emptyPending();
  reasons = 0;
  hasPending = false;
  stored = false;
  knownApplied = new Map<string, number>();
  knownTypes = new Set<string>();
  knownDays = new Set<string>();
  knownSamples = new Set<string>();
  knownLastSeen = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly group: string | undefined,
    readonly nameValid: boolean,
    readonly knownGroup: boolean,
  ) {}

  /** Learns what the stored record holds (after our write, or another instance's). */
  learn(state: TrackedLabelState): void {
    this.stored = true;
    for (const [slot, next] of Object.entries(state.ingest.applied)) {
      const offset = Number(next);
      if (offset > (this.knownApplied.get(slot) ?? 0)) this.knownApplied.set(slot, offset);
    }
    for (const t of state.valueTypes) this.knownTypes.add(t);
    for (const d of Object.keys(state.dailyCounts)) this.knownDays.add(d);
    this.knownSamples = new Set(state.samples);
    this.knownLastSeen = Math.max(this.knownLastSeen, Date.parse(state.lastSeen));
  }

  wantsSample(): boolean {
    return this.knownSamples.size + this.pending.samples.length < MAX_SAMPLES;
  }

  addSample(text: string): void {
    if (!this.knownSamples.has(text) && !this.pending.samples.includes(text)) this.pending.samples.push(text);
  }

  /** Hands the pending contributions to a write and starts a fresh pending. */
  take(): { pending: Pending; reasons: number } {
    const taken = { pending: this.pending, reasons: this.reasons };
    this.pending = emptyPending();
    this.reasons = 0;
    this.hasPending = false;
    return taken;
  }

  /** Puts back contributions whose write failed, so they go out with the next one. */
  restore(taken: { pending: Pending; reasons: number }): void {
    const into = this.pending;
    const from = taken.pending;
    for (const [slot, part] of from.parts) {
      const mine = into.parts.get(slot);
      if (mine === undefined) {
        into.parts.set(slot, part);
        continue;
      }
      mine.first = Math.min(mine.first, part.first);
      mine.next = Math.max(mine.next, part.next);
      mine.count += part.count;
      for (const [day, n] of part.days) mine.days.set(day, (mine.days.get(day) ?? 0) + n);
    }
    into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
    into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
    for (const t of from.types) into.types.add(t);
    for (const s of from.samples) if (!into.samples.includes(s)) into.samples.push(s);
    for (const p of from.pageTypes) into.pageTypes.add(p);
    for (const s of from.sources) into.sources.add(s);
    this.reasons |= taken.reasons;
    this.hasPending = true;
  }

  /** Forgets counts from partitions this instance no longer owns: their new owner re-reads them. */
  dropSlots(slots: ReadonlySet<string>): void {
    for (const slot of slots) this.pending.parts.delete(slot);
  }
}
