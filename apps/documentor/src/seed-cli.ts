import { parseArgs } from 'node:util';
import { loadEnv } from './env.js';
import { seed } from './seed.js';

/**
 * `node dist/seed-cli.js [--file labels.json|labels.csv] [--dry-run] [--url http://...] [--token ...]`
 * Without --file it loads the deterministic demo catalog (1,400 labels in 25 groups, the documented ones).
 */
const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    url: { type: 'string' },
    token: { type: 'string' },
  },
});
const env = loadEnv();
const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
try {
  await seed({
    url: values.url ?? env.DOCUMENTOR_URL ?? `http://${host}:${env.PORT}`,
    token: values.token ?? env.DOCUMENTOR_SEED_TOKEN,
    file: values.file,
    dryRun: values['dry-run'] ?? false,
    log: (line) => process.stdout.write(`${line}\n`),
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
