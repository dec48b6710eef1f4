export { type Codec, type DecodeResult, type FieldError, issuesToFieldErrors, jsonCodec } from './codec.js';
export {
  LABEL_NAME_MAX_LENGTH,
  LABEL_NAME_PATTERN,
  type ParsedLabelName,
  parseLabelName,
} from './label-name.js';
