import {
  IMPRESSION_MAX_LABELS,
  type Impression,
  parseLabelName,
  type TrackedLabelAggregate,
} from '@labeldocs/schemas';
import { labelFits } from './decode.js';
import { countDay, DAY_MS, LabelEntry, type PartPending, REASON } from './label-entry.js';
import { sampleText } from './pii.js';
import type { TrackedLabelState } from './state.js';
import { type ObservedValueType, observedType, utcDay } from './value-type.js';

const TYPE_BITS: Record<ObservedValueType, number> = { string: 1, number: 2, boolean: 4, null: 8, json: 16 };

export interface AggregatorOptions {
  /** A label seen again is written once its last-seen moved this far past the stored one. */
  lastSeenIntervalMs: number;
  /** Documented as PII: never sampled. */
  isPii: (label: string) => boolean;
  isKnownGroup: (group: string) => boolean;
  /** The stored record of a label, for labels this instance has not met yet. */
  lookup: (label: string) => TrackedLabelState | undefined;
}

/** Counters the worker turns into metrics. */
export interface AggregatorStats {
  labelObservations: number;
  malformedNameObservations: number;
  unknownGroupObservations: number;
  /** Label observations skipped because the stored record already counted that offset (a replay). */
  replayedObservations: number;
}

/**
 * Counts impressions into per-label entries, synchronously (the hot path: no allocation per label beyond
 * what a new label or day needs). Every observation is tagged with its input slot and offset so that a
 * write can record how far each partition has been counted.
 */
export class Aggregator {
  readonly entries = new Map<string, LabelEntry>();
  readonly stats: AggregatorStats = {
    labelObservations: 0,
    malformedNameObservations: 0,
    unknownGroupObservations: 0,
    replayedObservations: 0,
  };

  constructor(private readonly options: AggregatorOptions) {}

  entry(name: string): LabelEntry {
    return this.entries.get(name) ?? this.create(name);
  }

  private create(name: string): LabelEntry {
    const parsed = parseLabelName(name);
    const group = parsed.ok ? parsed.group : undefined;
    const entry = new LabelEntry(
      name,
      group,
      parsed.ok,
      group !== undefined && this.options.isKnownGroup(group),
    );
    const stored = this.options.lookup(name);
    if (stored !== undefined) entry.learn(stored);
    this.entries.set(name, entry);
    return entry;
  }

  /** Points the entry's hot-path cache at another input slot (partition). */
  private switchSlot(entry: LabelEntry, slot: string): void {
    entry.syncPart();
    entry.cacheSlot = slot;
    entry.cacheFloor = entry.knownApplied.get(slot) ?? 0;
    entry.cachePart = entry.pending.parts.get(slot);
  }

  private newPart(entry: LabelEntry, slot: string, offset: number): PartPending {
    const part = { first: offset, next: offset + 1, count: 0, days: new Map(), day: '', dayCount: 0 };
    entry.pending.parts.set(slot, part);
    entry.cachePart = part;
    return part;
  }

  private part(entry: LabelEntry, slot: string, offset: number): PartPending | undefined {
    if (entry.cacheSlot !== slot) this.switchSlot(entry, slot);
    if (offset < entry.cacheFloor) {
      this.stats.replayedObservations++;
      return undefined;
    }
    const part = entry.cachePart;
    if (part === undefined) return this.newPart(entry, slot, offset);
    if (offset + 1 > part.next) part.next = offset + 1;
    return part;
  }

  private readonly pageTypeIds = new Map<string, number>();

  /** A small id per page type (bit in LabelEntry.pageBits), or 0 when there are too many to track that way. */
  private pageTypeBit(pageType: string): number {
    let id = this.pageTypeIds.get(pageType);
    if (id === undefined) {
      id = this.pageTypeIds.size < 30 ? 1 << this.pageTypeIds.size : 0;
      this.pageTypeIds.set(pageType, id);
    }
    return id;
  }

  private seen(
    entry: LabelEntry,
    day: string,
    fromMs: number,
    toMs: number,
    pageType: string | undefined,
    pageBit = 0,
  ) {
    const p = entry.pending;
    if (!entry.stored) entry.reasons |= REASON.newLabel;
    if (entry.dayChecked !== day) {
      if (!entry.knownDays.has(day)) entry.reasons |= REASON.newDay;
      entry.dayChecked = day;
    }
    if (fromMs < p.firstSeen) p.firstSeen = fromMs;
    if (toMs > p.lastSeen) {
      p.lastSeen = toMs;
      if (toMs - entry.knownLastSeen >= this.options.lastSeenIntervalMs) entry.reasons |= REASON.lastSeen;
    }
    if (pageType !== undefined && (entry.pageBits & pageBit) === 0) {
      if (p.pageTypes.size < 50) p.pageTypes.add(pageType);
      entry.pageBits |= pageBit;
    }
    entry.hasPending = true;
    if (!entry.nameValid) this.stats.malformedNameObservations++;
    else if (!entry.knownGroup) this.stats.unknownGroupObservations++;
  }

  private type(entry: LabelEntry, type: ObservedValueType): void {
    const bit = TYPE_BITS[type];
    if ((entry.typeBits & bit) !== 0) return;
    entry.typeBits |= bit;
    if (entry.pending.types.has(type)) return;
    entry.pending.types.add(type);
    if (!entry.knownTypes.has(type)) entry.reasons |= REASON.newType;
  }

  /** Per impression, reused: the entries and values of its labels, resolved and checked before counting. */
  private readonly scratchEntries: LabelEntry[] = [];
  private readonly scratchValues: unknown[] = [];
  private readonly createdInPass: string[] = [];
  private lastDay = '';

  /** `YYYY-MM-DD` of a timestamp, the same string object while the day stays the same: later checks compare pointers. */
  private day(ts: string, ms: number): string {
    const day = utcDay(ts, ms);
    if (day === this.lastDay) return this.lastDay;
    this.lastDay = day;
    return day;
  }

  /**
   * Counts one impression whose top-level fields are checked (decodeImpressionHead). Its labels are checked
   * against impressionSchema's limits here, in the same pass that resolves their entries; if one breaks them
   * nothing is counted and -1 is returned (the caller lets the schema judge). `checked`: the schema accepted
   * it already. Returns how many labels it carried.
   */
  addImpression(impression: Impression, slot: string, offset: number, checked = false): number {
    const { labels, pageType, source, ts } = impression;
    const entries = this.scratchEntries;
    const values = this.scratchValues;
    const created = this.createdInPass;
    created.length = 0;
    let n = 0;
    // for-in, not Object.entries: no [key, value] array per label (the hot path's largest garbage).
    for (const name in labels) {
      const value = labels[name];
      if (!checked && (n === IMPRESSION_MAX_LABELS || !labelFits(name, value))) {
        // A rejected impression leaves no trace: not even entries for its other (new) labels.
        for (const fresh of created) this.entries.delete(fresh);
        return -1;
      }
      let entry = this.entries.get(name);
      if (entry === undefined) {
        entry = this.create(name);
        created.push(name);
      }
      entries[n] = entry;
      values[n] = value;
      n++;
    }
    const ms = Date.parse(ts);
    const day = this.day(ts, ms);
    // Not `ms % DAY_MS`: on a timestamp (beyond int32) that is a floating-point remainder, several times slower.
    const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    const inDay = ms - dayStart;
    const pageBit = this.pageTypeBit(pageType);
    const lastSeenInterval = this.options.lastSeenIntervalMs;
    let counted = 0;
    let flaggedName = 0;
    let flaggedGroup = 0;
    for (let i = 0; i < n; i++) {
      const entry = entries[i]!;
      if (entry.cacheSlot !== slot) this.switchSlot(entry, slot);
      if (offset < entry.cacheFloor) continue;
      // Counted on the entry itself (hot* fields, synced into the part later): one object touched per label.
      if (entry.cachePart === undefined) this.newPart(entry, slot, offset);
      if (offset >= entry.hotNext) entry.hotNext = offset + 1;
      entry.hotCount++;
      counted++;
      if (entry.hotDay !== day) entry.switchDay(day, dayStart, lastSeenInterval);
      entry.hotDayCount++;
      if (entry.dayChecked !== day) {
        if (!entry.knownDays.has(day)) entry.reasons |= REASON.newDay;
        entry.dayChecked = day;
      }
      if (!entry.stored) entry.reasons |= REASON.newLabel;
      if (inDay < entry.hotFrom) entry.hotFrom = inDay;
      if (inDay > entry.hotTo) {
        entry.hotTo = inDay;
        if (inDay >= entry.hotDue) entry.reasons |= REASON.lastSeen;
      }
      if ((entry.pageBits & pageBit) === 0) {
        const p = entry.pending;
        if (p.pageTypes.size < 50) p.pageTypes.add(pageType);
        entry.pageBits |= pageBit;
      }
      const value = values[i];
      const typeBit = TYPE_BITS[observedType(value)];
      if ((entry.typeBits & typeBit) === 0) this.type(entry, observedType(value));
      if (source !== undefined && entry.lastSource !== source) {
        const p = entry.pending;
        if (p.sources.size < 20) p.sources.add(source);
        entry.lastSource = source;
      }
      entry.hasPending = true;
      if (!entry.nameValid) flaggedName++;
      else if (!entry.knownGroup) flaggedGroup++;
      if (entry.sampleBudget > 0) {
        if (entry.wantsSample()) this.sample(entry, value);
        else entry.sampleBudget = 0; // full: no more looks until the next write resets the budget
      }
    }
    const stats = this.stats;
    stats.labelObservations += counted;
    stats.replayedObservations += n - counted;
    stats.malformedNameObservations += flaggedName;
    stats.unknownGroupObservations += flaggedGroup;
    return n;
  }

  addAggregate(aggregate: TrackedLabelAggregate, slot: string, offset: number): void {
    const entry = this.entry(aggregate.name);
    const part = this.part(entry, slot, offset);
    if (part === undefined) return;
    const from = Date.parse(aggregate.windowStart);
    const day = utcDay(aggregate.windowStart, from);
    part.count += aggregate.count;
    countDay(part, day, aggregate.count);
    this.seen(entry, day, from, Date.parse(aggregate.windowEnd), undefined);
    this.stats.labelObservations++;
    for (const pageType of aggregate.pageTypes)
      if (entry.pending.pageTypes.size < 50) entry.pending.pageTypes.add(pageType);
    for (const type of aggregate.valueTypes) this.type(entry, type);
    if (entry.pending.sources.size < 20) entry.pending.sources.add(aggregate.source);
    for (const sample of aggregate.samples) if (entry.wantsSample()) this.sample(entry, sample);
  }

  private sample(entry: LabelEntry, value: unknown): void {
    entry.sampleBudget--;
    if (this.options.isPii(entry.name)) return;
    // Repeats (booleans, enums) are common: skip them before the costlier PII check.
    if (typeof value === 'string' && (entry.knownSamples.has(value) || entry.pending.samples.includes(value)))
      return;
    const text = sampleText(value);
    if (text !== undefined) entry.addSample(text);
  }

  /** Labels to write now: those with a meaningful change, or (`all`) every label with anything pending. */
  select(all: boolean): LabelEntry[] {
    const out: LabelEntry[] = [];
    for (const entry of this.entries.values())
      if (entry.hasPending && (all || entry.reasons !== 0)) out.push(entry);
    return out;
  }

  /** Bumped by dropPending(): a write that fails after it must not put its old counts back. */
  generation = 0;

  /** Forgets every pending count (after a rebalance, when they will be read again). */
  dropPending(): void {
    this.generation++;
    for (const entry of this.entries.values()) entry.dropSlots(new Set(entry.pending.parts.keys()));
  }
}
