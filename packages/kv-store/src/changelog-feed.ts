import type { IHeaders } from 'kafkajs';
import { changelogKeyOwner } from './changelog-keys.js';
import { H, header, versionOf } from './protocol.js';
import type { ChangelogRecord } from './types.js';

/**
 * The subscribers of a store's change events. The state reader hands them the events it reads, and a writer
 * the events of its own writes as soon as the broker acknowledged them (see OwnWrites), each event once.
 */
export class ChangelogFeed {
  readonly listeners = new Set<(record: ChangelogRecord) => void>();
  onListenerError: (error: unknown) => void = () => undefined;

  emit(record: ChangelogRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        // A subscriber's bug must not stop the reader or the writer.
        this.onListenerError(error);
      }
    }
  }
}

/**
 * The record subscribers get for a change event at `offset`, as read from the log or as the writer produced it;
 * undefined when `eventKey` is no change event's key or the value is missing (a tombstone from another tool).
 */
export function changelogRecord(
  eventKey: string,
  value: Buffer | null,
  headers: IHeaders | undefined,
  partition: number,
  offset: number,
  timestamp: number,
): ChangelogRecord | undefined {
  const key = changelogKeyOwner(eventKey);
  if (key === undefined || value === null) return undefined;
  const version = versionOf(header(headers, H.version));
  return { key, version, value, partition, offset: String(offset), timestamp };
}
