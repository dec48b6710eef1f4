export { type AppOptions, buildApp } from './app.js';
export {
  Authenticator,
  hashToken,
  type Principal,
  parseTokens,
  ROLES,
  type Role,
  type TokenEntry,
} from './auth.js';
export { type AcceptedWrite, toChangeEvent } from './catalog/change-event.js';
export { HistoryIndex } from './catalog/history-index.js';
export type { CatalogEntry, LabelHistory, LabelStore, TrackedStore } from './catalog/types.js';
export { type AppEnv, DEV_TOKENS, envSchema, loadEnv } from './env.js';
export * from './errors.js';
export { HTTP_STATUS_BY_CODE, mapError } from './http/error-mapping.js';
export { createDocumentor, type Documentor, type DocumentorOptions } from './runtime.js';
export { demoItems, type SeedOptions, type SeedResult, seed } from './seed.js';
