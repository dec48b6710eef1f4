import { closeOnSignals, createLogger, maskSecrets, onceClose } from '@labeldocs/app-kit';
import { buildApp } from './app.js';
import { loadEnv } from './env.js';

const env = loadEnv();
const logger = createLogger('metadata-ingest', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'starting');
const app = buildApp();
await app.listen({ host: env.HOST, port: env.PORT });
logger.info({ url: `http://${env.HOST}:${env.PORT}` }, 'listening');
closeOnSignals({ close: onceClose([['http', () => app.close()]], logger) }, logger);
