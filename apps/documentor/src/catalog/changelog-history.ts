import type { KafkaKeyValueStore } from '@labeldocs/kv-store';
import { type LabelRecord, labelChangeEventCodec } from '@labeldocs/schemas';
import type { Logger } from 'pino';
import { HistoryIndex } from './history-index.js';

/**
 * The labels' change log, indexed. kv-store writes each accepted write's change event into the labels topic,
 * in the record batch of its record, and hands the events to this subscriber as it reads them (the whole log
 * during start) and as this instance's own writes are acknowledged: no reader of our own, and the history of
 * a write is there when its PUT returns. Must be created before the store starts.
 */
export class ChangelogHistory extends HistoryIndex {
  #undecodable = 0;

  constructor(labels: KafkaKeyValueStore<LabelRecord>, logger: Logger) {
    super();
    labels.subscribeChangelog((record) => {
      const decoded = labelChangeEventCodec.decode(record.value);
      if (decoded.ok) {
        this.add(decoded.value);
        return;
      }
      this.#undecodable += 1;
      logger.warn(
        { partition: record.partition, offset: record.offset, errors: decoded.errors },
        'skipping bad change event',
      );
    });
    // The store hands out every event up to the end offsets of its start before it is ready.
    labels.ready().then(
      () => this.markReady(),
      () => undefined,
    );
  }

  get undecodable(): number {
    return this.#undecodable;
  }
}
