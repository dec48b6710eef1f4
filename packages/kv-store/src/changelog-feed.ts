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
