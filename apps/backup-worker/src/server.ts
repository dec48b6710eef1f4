import { closeOnSignals, createLogger, maskSecrets } from '@labeldocs/app-kit';
import { buildApp } from './app.js';
import { loadEnv } from './env.js';

const env = loadEnv();
const logger = createLogger('backup-worker', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'starting');
const app = buildApp({ env, logger });
await app.start();
await app.http.listen({ host: env.HOST, port: env.PORT });
logger.info({ url: `http://${env.HOST}:${env.PORT}`, queue: env.QUEUE_NAME }, 'listening');
closeOnSignals(
  { close: async () => Promise.all([app.http.close(), app.close()]).then(() => undefined) },
  logger,
);
