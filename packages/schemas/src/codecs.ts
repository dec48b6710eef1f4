import { backupManifestSchema } from './backup-manifest.js';
import { jsonCodec } from './codec.js';
import { impressionSchema, trackedLabelAggregateSchema } from './impression.js';
import { labelChangeEventSchema } from './label-change.js';
import { labelRecordSchema } from './label-record.js';
import { publicLabelSchema } from './public-label.js';
import { trackedLabelSchema } from './tracked-label.js';

/** One codec per topic; kv-store and the apps encode and decode only through these. */
export const labelRecordCodec = jsonCodec('label-record', labelRecordSchema);
export const labelChangeEventCodec = jsonCodec('label-change-event', labelChangeEventSchema);
export const trackedLabelCodec = jsonCodec('tracked-label', trackedLabelSchema);
export const impressionCodec = jsonCodec('impression', impressionSchema);
export const trackedLabelAggregateCodec = jsonCodec('tracked-label-aggregate', trackedLabelAggregateSchema);
export const publicLabelCodec = jsonCodec('public-label', publicLabelSchema);
/** Manifests list every segment of a backup, so they may be far bigger than a Kafka message. */
export const backupManifestCodec = jsonCodec('backup-manifest', backupManifestSchema, {
  maxBytes: 256 * 1024 * 1024,
});
