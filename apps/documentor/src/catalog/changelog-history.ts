import type { KafkaKeyValueStore } from '@labeldocs/kv-store';
import { type LabelChangeEvent, type LabelRecord, labelChangeEventCodec } from '@labeldocs/schemas';
import type { Logger } from 'pino';
import { HistoryIndex } from './history-index.js';

/**
 * The labels' change log, indexed. kv-store writes each accepted write's change event into the labels topic,
 * in the record batch of its record, and hands the events to this subscriber as it reads them (the whole log
 * during start) and as this instance's own writes are acknowledged: no reader of our own, and the history of
 * a write is there when its PUT returns. Events are kept as bytes until a history or `asOf` read needs them.
 * Must be created before the store starts.
 */
export class ChangelogHistory extends HistoryIndex {
  constructor(labels: KafkaKeyValueStore<LabelRecord>, logger: Logger) {
    super((bytes, label) => decodeEvent(bytes, label, logger));
    labels.subscribeChangelog((record) => this.addEncoded(record.key, record.version, record.value));
    // The store hands out every event up to the end offsets of its start before it is ready.
    labels.ready().then(
      () => this.markReady(),
      () => undefined,
    );
  }
}

function decodeEvent(bytes: Buffer, label: string, logger: Logger): LabelChangeEvent | undefined {
  const decoded = labelChangeEventCodec.decode(bytes);
  if (decoded.ok && decoded.value.label === label) return decoded.value;
  logger.warn(
    { label, errors: decoded.ok ? [{ path: 'label', message: 'not the label of its key' }] : decoded.errors },
    'skipping bad change event',
  );
  return undefined;
}
