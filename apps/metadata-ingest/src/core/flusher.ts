import { setTimeout as sleep } from 'node:timers/promises';
import type { Aggregator } from './aggregator.js';
import type { LabelEntry } from './label-entry.js';
import { mergeLabel } from './merge.js';
import type { TrackedLabelSink } from './sink.js';

export interface FlusherOptions {
  days: number;
  isPii: (label: string) => boolean;
  /** Writes in flight at once. */
  concurrency: number;
  /** Attempts per label when another instance wrote the same label first (KV_CONFLICT). */
  conflictRetries: number;
  now?: () => number;
}

export interface FlushResult {
  written: number;
  failed: number;
  duplicates: number;
  overlaps: number;
  /** The first failure, when any write failed (its contributions are kept for the next flush). */
  error?: unknown;
}

const code = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Writes labels' pending contributions as conditional puts (expected version = the version merged
 * into), retrying a conflict against the newer record. One flush at a time, so a label is never written
 * twice concurrently by this instance.
 */
export class Flusher {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly aggregator: Aggregator,
    private readonly sink: TrackedLabelSink,
    private readonly options: FlusherOptions,
  ) {}

  /** Resolves when no flush is running or queued. */
  idle(): Promise<unknown> {
    return this.chain;
  }

  /** Serialised: resolves when this flush (and every earlier one) is done. */
  flush(all: boolean): Promise<FlushResult> {
    const run = this.chain.then(() => this.flushNow(all));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushNow(all: boolean): Promise<FlushResult> {
    const entries = this.aggregator.select(all);
    const result: FlushResult = { written: 0, failed: 0, duplicates: 0, overlaps: 0 };
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const entry = entries[next++]!;
        try {
          await this.write(entry, result);
        } catch (error) {
          result.failed++;
          result.error ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, entries.length) }, worker));
    return result;
  }

  private async write(entry: LabelEntry, result: FlushResult): Promise<void> {
    const taken = entry.take();
    const generation = this.aggregator.generation;
    try {
      for (let attempt = 0; ; attempt++) {
        const current = this.sink.get(entry.name);
        const merged = mergeLabel(current?.value, entry, taken.pending, {
          days: this.options.days,
          isPii: this.options.isPii(entry.name),
          now: new Date((this.options.now ?? Date.now)()).toISOString(),
        });
        if (!merged.changed) {
          if (current) entry.learn(current.value);
          return;
        }
        // After a rebalance these counts will be read again (by us or the partition's new owner): drop them.
        if (generation !== this.aggregator.generation) return;
        try {
          const written = await this.sink.put(entry.name, merged.state, {
            expectedVersion: current?.version ?? 0,
          });
          entry.learn(written.value);
          result.written++;
          result.duplicates += merged.duplicates;
          result.overlaps += merged.overlaps;
          return;
        } catch (error) {
          if (code(error) !== 'KV_CONFLICT' || attempt >= this.options.conflictRetries) throw error;
          // The newer record is on its way to our replica; merge into it once it is there.
          await sleep(20 * (attempt + 1));
        }
      }
    } catch (error) {
      if (generation === this.aggregator.generation) entry.restore(taken);
      throw error;
    }
  }
}
