import { closeOnSignals, createLogger, createRegistry, maskSecrets, onceClose } from '@labeldocs/app-kit';
import { buildApp } from './app.js';
import { loadEnv } from './env.js';
import { Publisher } from './publisher.js';
import { publisherOptionsFromEnv } from './runtime.js';

const env = loadEnv();
// `--republish` (or REPUBLISH=true): publish every label again on start, then keep streaming.
if (process.argv.includes('--republish')) env.REPUBLISH = true;
const logger = createLogger('public-publisher', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'starting');
const registry = createRegistry('public-publisher');
const publisher = new Publisher({
  ...publisherOptionsFromEnv(env, logger, registry),
  onFatal: () => {
    void close().finally(() => process.exit(1));
  },
});
const app = buildApp({ registry, notReadyReason: () => publisher.notReadyReason() });
const close = onceClose(
  [
    ['publisher', () => publisher.close()],
    ['http', () => app.close()],
  ],
  logger,
);
await app.listen({ host: env.HOST, port: env.PORT });
const address = app.server.address();
logger.info(
  { url: `http://${env.HOST}:${typeof address === 'object' && address ? address.port : env.PORT}` },
  'listening',
);
publisher.start();
closeOnSignals({ close }, logger);
