export {
  BACKUP_FORMAT_VERSION,
  BACKUP_FORMAT_VERSIONS,
  type BackupManifest,
  backupManifestSchema,
} from './backup-manifest.js';
export {
  type Codec,
  type DecodeResult,
  type JsonCodecOptions,
  jsonCodec,
  observeUnknownFields,
  valueOrThrow,
} from './codec.js';
export {
  backupManifestCodec,
  impressionCodec,
  labelChangeEventCodec,
  labelRecordCodec,
  publicLabelCodec,
  trackedLabelAggregateCodec,
  trackedLabelCodec,
} from './codecs.js';
export {
  SchemaError,
  type SchemaErrorCode,
  SchemaGroupRegistryError,
  SchemaStatusTransitionError,
  SchemaValidationError,
} from './errors.js';
export { type FieldError, formatFieldErrors, formatPath, issuesToFieldErrors } from './field-errors.js';
export {
  defaultGroupRegistry,
  GROUP_NAME_PATTERN,
  type Group,
  type GroupRegistry,
  groupRegistryFileSchema,
  groupSchema,
  isKnownGroup,
  loadGroupRegistry,
  parseGroupRegistry,
} from './groups.js';
export {
  IMPRESSION_MAX_LABELS,
  type Impression,
  impressionSchema,
  LABEL_VALUE_MAX_LENGTH,
  labelValueSchema,
  type TrackedLabelAggregate,
  trackedLabelAggregateSchema,
} from './impression.js';
export { keyPartition, murmur2 } from './key-partition.js';
export { type LabelChangeEvent, labelChangeEventSchema } from './label-change.js';
export {
  LABEL_NAME_MAX_LENGTH,
  LABEL_NAME_PATTERN,
  LABEL_NAME_RULE,
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
export { type LabelRuleOptions, labelRuleProblems, validateLabelInput } from './label-rules.js';
export { dateSchema, instantSchema, labelNameSchema } from './primitives.js';
export { PUBLIC_SCHEMA_VERSION, type PublicLabel, publicLabelSchema } from './public-label.js';
export { type CompatibilityReport, checkCompatibility } from './public-schema/compatibility.js';
export { evaluateSchemaChange, type SchemaGateResult, type SchemaSnapshot } from './public-schema/gate.js';
export {
  type JsonSchema,
  publicLabelJsonSchema,
  SCHEMA_VERSION_KEYWORD,
} from './public-schema/json-schema.js';
export {
  PUBLIC_SCHEMA_DIR,
  readSnapshots,
  snapshotFileName,
  writeSnapshot,
} from './public-schema/snapshots.js';
export { assertTransition, canTransition, STATUS_TRANSITIONS, transitionProblem } from './status.js';
export { TOPICS } from './topics.js';
export {
  MAX_DAILY_COUNTS,
  MAX_SAMPLES,
  OBSERVED_VALUE_TYPES,
  observedValueTypeSchema,
  type TrackedLabel,
  trackedLabelSchema,
} from './tracked-label.js';
