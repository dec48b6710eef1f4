import { createKvStore, type KeyValueStore } from '@labeldocs/kv-store';
import { type LabelRecord, labelRecordCodec } from '@labeldocs/schemas';

/**
 * Which labels are documented as PII: a read-only replica of the documentation topic. Until it has
 * read the topic, every label counts as PII (nothing is sampled before we know).
 */
export class PiiRegistry {
  readonly store: KeyValueStore<LabelRecord>;

  constructor(options: { brokers: string[]; topic: string; clientId: string }) {
    this.store = createKvStore<LabelRecord>({
      brokers: options.brokers,
      topic: options.topic,
      codec: labelRecordCodec,
      readOnly: true,
      clientId: `${options.clientId}-docs`,
    });
  }

  isPii = (label: string): boolean => {
    if (!this.store.isReady) return true;
    return this.store.get(label)?.value.pii.isPii === true;
  };
}
