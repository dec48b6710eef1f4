import { MAX_SAMPLES } from '@labeldocs/schemas';
import type { TrackedLabelState } from './state.js';
import type { ObservedValueType } from './value-type.js';

/** Counted but not yet written contributions of one input partition (a "slot") to one label. */
export interface PartPending {
  /** Lowest and next-after-highest offset counted. */
  first: number;
  next: number;
  count: number;
  /** Counts per day, except the current run of `day` (kept in `dayCount` to spare a Map update per label). */
  days: Map<string, number>;
  day: string;
  dayCount: number;
}

/** A part's counts per day, the current run included. */
export function partDays(part: PartPending): Map<string, number> {
  const days = new Map(part.days);
  if (part.dayCount > 0) days.set(part.day, (days.get(part.day) ?? 0) + part.dayCount);
  return days;
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

/** Values looked at for samples per label between writes: repeated PII-looking values must not cost every time. */
const SAMPLE_BUDGET = 64;

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
  /** Hot-path caches: the last slot's part and applied offset, the last day checked, the sampling budget. */
  cacheSlot: string | undefined;
  cachePart: PartPending | undefined;
  cacheFloor = 0;
  dayChecked = '';
  sampleBudget = SAMPLE_BUDGET;
  /** Bits of value types and page-type ids already in `pending`, and its last source: skip the Set work. */
  typeBits = 0;
  pageBits = 0;
  lastSource: string | undefined;

  constructor(
    readonly name: string,
    readonly group: string | undefined,
    readonly nameValid: boolean,
    readonly knownGroup: boolean,
  ) {}

  /** Learns what the stored record holds (after our write, or another instance's). */
  learn(state: TrackedLabelState): void {
    this.stored = true;
    this.invalidate();
    for (const [slot, next] of Object.entries(state.ingest.applied)) {
      const offset = Number(next);
      if (offset > (this.knownApplied.get(slot) ?? 0)) this.knownApplied.set(slot, offset);
    }
    for (const t of state.valueTypes) this.knownTypes.add(t);
    for (const d of Object.keys(state.dailyCounts)) this.knownDays.add(d);
    this.knownSamples = new Set(state.samples);
    this.knownLastSeen = Math.max(this.knownLastSeen, Date.parse(state.lastSeen));
  }

  invalidate(): void {
    this.typeBits = 0;
    this.pageBits = 0;
    this.lastSource = undefined;
    this.cacheSlot = undefined;
    this.cachePart = undefined;
    this.dayChecked = '';
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
    // Assume the write succeeds, so records arriving while it is in flight do not ask for the same write
    // again (a failed write puts its reasons back through restore()).
    this.stored = true;
    for (const part of taken.pending.parts.values())
      for (const day of partDays(part).keys()) this.knownDays.add(day);
    for (const type of taken.pending.types) this.knownTypes.add(type);
    this.knownLastSeen = Math.max(this.knownLastSeen, taken.pending.lastSeen);
    this.pending = emptyPending();
    this.reasons = 0;
    this.hasPending = false;
    this.sampleBudget = SAMPLE_BUDGET;
    this.invalidate();
    return taken;
  }

  /** Puts back contributions whose write failed, so they go out with the next one. */
  restore(taken: { pending: Pending; reasons: number }): void {
    this.invalidate();
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
      const days = partDays(mine);
      for (const [day, n] of partDays(part)) days.set(day, (days.get(day) ?? 0) + n);
      mine.days = days;
      mine.day = '';
      mine.dayCount = 0;
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
    this.invalidate();
    for (const slot of slots) this.pending.parts.delete(slot);
  }
}
