import { createLogger, createRegistry, maskSecrets } from '@labeldocs/app-kit';
import { loadEnv } from './env.js';
import { republishOnce } from './publisher.js';
import { publisherOptionsFromEnv } from './runtime.js';

/**
 * `node dist/republish-cli.js`: publishes every label again from the current state of both sources (after a
 * public format change), in one transaction, then exits. It uses the service's transactional id, so a
 * running publisher is fenced for the moment and rebuilds right after.
 */
const env = loadEnv();
const logger = createLogger('public-publisher-republish', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'republishing');
try {
  await republishOnce(publisherOptionsFromEnv(env, logger, createRegistry('public-publisher-republish')));
  logger.info('republish committed');
} catch (error) {
  logger.error({ err: error }, 'republish failed');
  process.exitCode = 1;
}
