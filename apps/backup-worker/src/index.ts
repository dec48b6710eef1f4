export { type AppOptions, type BackupWorkerApp, buildApp, s3Locations } from './app.js';
export { type AppEnv, envSchema, loadEnv } from './env.js';
export {
  JOB_NAMES,
  type JobData,
  type JobName,
  type JobProgressInfo,
  jobDataSchemas,
  jobIdFor,
} from './jobs.js';
export { hashTokens, isOpsToken, presentedToken } from './ops-auth.js';
export { enqueue } from './processors.js';
export { createQueue, JOB_DEFAULTS } from './queue.js';
export { redisTopicLock } from './redis-lock.js';
