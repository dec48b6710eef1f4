import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the local stack needs to know, read from the environment in this one place. */
export interface StackConfig {
  root: string;
  /** Where data, logs and pid files live (gitignored). */
  dir: string;
  /** Where resolved jars are cached; shared by every stack of this checkout. */
  cacheDir: string;
  kafka: { version: string; port: number; controllerPort: number; heap: string };
  s3: { version: string; primary: S3Endpoint; replica: S3Endpoint };
  redis: { url: string; fallbackPort: number };
}

export interface S3Endpoint {
  name: 'primary' | 'replica';
  port: number;
  /**
   * The signing region. S3Proxy's filesystem backend accepts no LocationConstraint, and the AWS SDK sends one
   * for every region but us-east-1, so both local endpoints sign as us-east-1; the two endpoints, with separate
   * credentials and data, stand for the two accounts/regions.
   */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('local-stack: cannot find the workspace root (pnpm-workspace.yaml)');
    dir = parent;
  }
  return dir;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    problems.push(`${name}: must be a port number from 1 to 65535, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** Reads and validates every LABELDOCS_STACK_* / *_PORT variable, reporting all problems at once. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const root = findRoot();
  const problems: string[] = [];
  const config: StackConfig = {
    root,
    dir: resolve(root, env.LABELDOCS_STACK_DIR ?? '.local-stack'),
    cacheDir: resolve(root, env.LABELDOCS_STACK_CACHE ?? '.local-stack/cache'),
    kafka: {
      version: env.KAFKA_VERSION ?? '4.1.1',
      port: port(env, 'KAFKA_PORT', 19092, problems),
      controllerPort: port(env, 'KAFKA_CONTROLLER_PORT', 19093, problems),
      heap: env.KAFKA_HEAP ?? '1g',
    },
    s3: {
      version: env.S3PROXY_VERSION ?? '2.6.0',
      primary: {
        name: 'primary',
        port: port(env, 'S3_PRIMARY_PORT', 19000, problems),
        region: 'us-east-1',
        accessKeyId: 'labeldocs-primary',
        secretAccessKey: 'local-primary-secret',
        bucket: 'labeldocs-backups',
      },
      replica: {
        name: 'replica',
        port: port(env, 'S3_REPLICA_PORT', 19001, problems),
        region: 'us-east-1',
        accessKeyId: 'labeldocs-replica',
        secretAccessKey: 'local-replica-secret',
        bucket: 'labeldocs-backups-replica',
      },
    },
    redis: {
      url: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      fallbackPort: port(env, 'REDIS_FALLBACK_PORT', 16379, problems),
    },
  };
  if (problems.length > 0) throw new Error(`local-stack: invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

export const paths = (config: StackConfig) => ({
  run: join(config.dir, 'run'),
  logs: join(config.dir, 'logs'),
  kafkaData: join(config.dir, 'kafka', 'data'),
  kafkaConfig: join(config.dir, 'kafka', 'server.properties'),
  kafkaLibs: join(config.cacheDir, `kafka-${config.kafka.version}`),
  s3Data: (name: string) => join(config.dir, 's3', name),
  s3ProxyJar: join(config.cacheDir, `s3proxy-${config.s3.version}.jar`),
  redisData: join(config.dir, 'redis'),
  state: join(config.dir, 'stack.json'),
});

/** The variables apps and tests use to reach the stack; `stack env` prints them, `stack run` sets them. */
export function stackEnv(config: StackConfig, redisUrl: string): Record<string, string> {
  const s3 = (prefix: string, e: S3Endpoint) => ({
    [`${prefix}_ENDPOINT`]: `http://127.0.0.1:${e.port}`,
    [`${prefix}_REGION`]: e.region,
    [`${prefix}_ACCESS_KEY_ID`]: e.accessKeyId,
    [`${prefix}_SECRET_ACCESS_KEY`]: e.secretAccessKey,
    [`${prefix}_BUCKET`]: e.bucket,
  });
  return {
    KAFKA_BROKERS: `127.0.0.1:${config.kafka.port}`,
    KAFKA_VERSION: config.kafka.version,
    ...s3('S3_PRIMARY', config.s3.primary),
    ...s3('S3_REPLICA', config.s3.replica),
    REDIS_URL: redisUrl,
    LABELDOCS_STACK_DIR: config.dir,
  };
}
