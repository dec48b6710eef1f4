export { BACKUP_FORMAT_VERSION, type BackupManifest, backupManifestSchema } from './backup-manifest.js';
export { type Codec, type DecodeResult, type FieldError, issuesToFieldErrors, jsonCodec } from './codec.js';
export {
  impressionCodec,
  labelChangeEventCodec,
  labelRecordCodec,
  publicLabelCodec,
  trackedLabelAggregateCodec,
  trackedLabelCodec,
} from './codecs.js';
export {
  type Impression,
  impressionSchema,
  labelValueSchema,
  type TrackedLabelAggregate,
  trackedLabelAggregateSchema,
} from './impression.js';
export { type LabelChangeEvent, labelChangeEventSchema } from './label-change.js';
export {
  LABEL_NAME_MAX_LENGTH,
  LABEL_NAME_PATTERN,
  type ParsedLabelName,
  parseLabelName,
} from './label-name.js';
export {
  DESCRIPTION_MAX_LENGTH,
  LABEL_STATUSES,
  type LabelInput,
  type LabelRecord,
  type LabelStatus,
  labelInputSchema,
  labelRecordSchema,
  labelStatusSchema,
  PII_CATEGORIES,
  piiSchema,
  type ValueType,
  valueTypeSchema,
} from './label-record.js';
export { dateSchema, instantSchema, labelNameSchema } from './primitives.js';
export { PUBLIC_SCHEMA_VERSION, type PublicLabel, publicLabelSchema } from './public-label.js';
export { TOPICS } from './topics.js';
export {
  MAX_SAMPLES,
  OBSERVED_VALUE_TYPES,
  observedValueTypeSchema,
  type TrackedLabel,
  trackedLabelSchema,
} from './tracked-label.js';
