export { EnvError, envFields, maskSecrets, parseEnv } from './env.js';
export { buildOpsServer, createRegistry, type OpsRoutesOptions, registerOpsRoutes } from './health-server.js';
export { type Closeable, closeOnSignals, onceClose } from './lifecycle.js';
export { createLogger } from './logger.js';
