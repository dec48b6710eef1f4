export {
  createDemoCatalog,
  type DemoCatalog,
  type DemoCatalogOptions,
  type DemoLabel,
  type DocumentationState,
} from './catalog.js';
export { type DemoRecordOptions, demoLabelRecords } from './documentation.js';
export { DEMO_GROUPS, type DemoGroup, PAGE_TYPES, type PageType } from './groups.js';
export {
  createImpressionGenerator,
  type GeneratedRecord,
  type ImpressionGenerator,
  type ImpressionGeneratorOptions,
} from './impressions.js';
export { createRng, type Rng } from './rng.js';
export {
  email,
  generateValue,
  germanIban,
  luhnCardNumber,
  type StringStyle,
  type ValueSpec,
} from './values.js';
