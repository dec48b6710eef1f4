import { closeOnSignals, createLogger, maskSecrets } from '@labeldocs/app-kit';
import { parseTokens } from './auth.js';
import { DEV_TOKENS, loadEnv } from './env.js';
import { createDocumentor } from './runtime.js';

const env = loadEnv();
const logger = createLogger('documentor', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'starting');
const { entries, problems } = parseTokens(env.DOCUMENTOR_TOKENS, env.DOCUMENTOR_TOKEN_HASHES);
if (problems.length > 0) {
  logger.fatal({ problems }, 'invalid token configuration');
  process.exit(1);
}
if (env.DOCUMENTOR_TOKENS === DEV_TOKENS)
  logger.warn(
    'using the dev tokens (reader dev-reader, analyst dev-analyst, ops dev-ops); set DOCUMENTOR_TOKENS',
  );
const documentor = await createDocumentor({
  brokers: env.KAFKA_BROKERS,
  labelsTopic: env.LABELS_TOPIC,
  trackedTopic: env.TRACKED_LABELS_TOPIC,
  clientId: env.KAFKA_CLIENT_ID,
  tokens: entries,
  logger,
  bodyLimit: env.BODY_LIMIT_BYTES,
  importLimit: env.IMPORT_LIMIT_BYTES,
});
closeOnSignals(documentor, logger);
// Listen first: /health/live answers and /health/ready says 503 while the stores read their topics.
await documentor.app.listen({ host: env.HOST, port: env.PORT });
logger.info({ url: `http://${env.HOST}:${env.PORT}` }, 'listening');
documentor.start().then(
  () => logger.info({ labels: documentor.labels.size }, 'ready'),
  (error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed');
    void documentor.close().finally(() => process.exit(1));
  },
);
