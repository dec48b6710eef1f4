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

/** Adds `n` observations of `day` to a part (runs of one day are summed before they touch the Map). */
export function countDay(part: PartPending, day: string, n: number): void {
  if (part.day === day) {
    part.dayCount += n;
    return;
  }
  if (part.dayCount > 0) part.days.set(part.day, (part.days.get(part.day) ?? 0) + part.dayCount);
  part.day = day;
  part.dayCount = n;
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

export const DAY_MS = 86_400_000;

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
  // The hot path's fields come first (V8 lays fields out in this order): one or two cache lines per label.
  /** Hot-path caches: the last slot's part and applied offset, the last day checked, the sampling budget. */
  cacheSlot: string | undefined;
  cacheFloor = 0;
  cachePart: PartPending | undefined;
  /**
   * Counted into `cachePart` but kept here until syncPart(): the hot path then touches this object only, not
   * the part and the pending record too (each a likely cache miss, 50 times per impression).
   */
  hotCount = 0;
  hotNext = 0;
  hotDay = '';
  hotDayCount = 0;
  /**
   * First and last seen within the current day run, as ms since that day's start (small integers, stored
   * unboxed; absolute timestamps would each be a separate heap number), and from which ms of the day
   * last-seen moving is a meaningful change. Folded into seenFrom/seenTo when the run ends.
   */
  hotFrom = DAY_MS;
  hotTo = -1;
  hotDue = 0;
  dayChecked = '';
  reasons = 0;
  stored = false;
  hasPending = false;
  /** Bits of value types and page-type ids already in `pending`, and its last source: skip the Set work. */
  typeBits = 0;
  pageBits = 0;
  lastSource: string | undefined;
  sampleBudget = SAMPLE_BUDGET;
  hotDayStart = 0;
  /** First and last seen (ms) of what is pending, besides the current day run; moved to `pending` by take(). */
  seenFrom = Number.POSITIVE_INFINITY;
  seenTo = Number.NEGATIVE_INFINITY;
  pending: Pending = emptyPending();
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

  /** Moves the hot-path counters into the cached part: before the cache moves or anyone reads the parts. */
  syncPart(): void {
    const part = this.cachePart;
    if (part !== undefined && this.hotCount > 0) {
      part.count += this.hotCount;
      if (this.hotNext > part.next) part.next = this.hotNext;
      if (this.hotDayCount > 0) countDay(part, this.hotDay, this.hotDayCount);
    }
    this.foldSeen();
    this.hotCount = 0;
    this.hotNext = 0;
    this.hotDay = '';
    this.hotDayCount = 0;
  }

  private foldSeen(): void {
    if (this.hotTo < 0) return;
    this.seenFrom = Math.min(this.seenFrom, this.hotDayStart + this.hotFrom);
    this.seenTo = Math.max(this.seenTo, this.hotDayStart + this.hotTo);
    this.hotFrom = DAY_MS;
    this.hotTo = -1;
  }

  /**
   * Starts a run of another day (`dayStart`: its first ms) in the hot counters. `lastSeenIntervalMs`: how far
   * last-seen must move past the stored one to be a meaningful change.
   */
  switchDay(day: string, dayStart: number, lastSeenIntervalMs: number): void {
    const part = this.cachePart;
    if (part !== undefined && this.hotDayCount > 0) countDay(part, this.hotDay, this.hotDayCount);
    this.foldSeen();
    this.hotDay = day;
    this.hotDayCount = 0;
    this.hotDayStart = dayStart;
    // Clamped to the day (exact for every ms of it), then an int32: a small integer V8 keeps unboxed.
    const due = this.knownLastSeen + lastSeenIntervalMs - dayStart;
    this.hotDue = Math.max(-1, Math.min(DAY_MS, due)) | 0;
  }

  invalidate(): void {
    this.syncPart();
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
    this.invalidate();
    const taken = { pending: this.pending, reasons: this.reasons };
    taken.pending.firstSeen = Math.min(taken.pending.firstSeen, this.seenFrom);
    taken.pending.lastSeen = Math.max(taken.pending.lastSeen, this.seenTo);
    this.seenFrom = Number.POSITIVE_INFINITY;
    this.seenTo = Number.NEGATIVE_INFINITY;
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
