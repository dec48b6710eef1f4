import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { paths, type StackConfig, stackEnv } from './config.ts';
import { kafkaReady, startKafka, stopKafka } from './kafka.ts';
import { ensureKafkaLibs, ensureS3ProxyJar } from './maven.ts';
import { isAlive, runningPid } from './processes.ts';
import { ensureRedis, redisAnswers, stopRedis } from './redis.ts';
import { startS3, stopS3 } from './s3.ts';

export type ServiceName = 'kafka' | 's3-primary' | 's3-replica' | 'redis';
export const serviceNames: ServiceName[] = ['kafka', 's3-primary', 's3-replica', 'redis'];

interface StackState {
  redisUrl: string;
}

function readState(config: StackConfig): StackState {
  const file = paths(config).state;
  if (!existsSync(file)) return { redisUrl: config.redis.url };
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

/** The environment apps and tests use; valid once `up` has run. */
export function currentEnv(config: StackConfig): Record<string, string> {
  return stackEnv(config, readState(config).redisUrl);
}

/**
 * Starts whatever of the stack is not running yet and returns the names of the services this call started,
 * so that a caller (`stack run`, the system launcher) stops exactly those and nothing else.
 */
export function runningServices(config: StackConfig): ServiceName[] {
  return serviceNames.filter((n) => runningPid(paths(config).run, n) !== undefined);
}

/**
 * Starts whatever of the stack is not running yet and returns the names of the services this call started,
 * so that a caller (`stack run`, the system launcher) stops exactly those and nothing else. If start-up
 * fails, what this call started is stopped again before the error is rethrown.
 */
export async function up(config: StackConfig, log: (line: string) => void): Promise<ServiceName[]> {
  const p = paths(config);
  mkdirSync(p.run, { recursive: true });
  const before = new Set(runningServices(config));
  const startedNow = () => runningServices(config).filter((n) => !before.has(n));
  try {
    // Resolve jars one after the other: parallel Maven runs race on the shared ~/.m2 repository.
    ensureKafkaLibs(config, log);
    ensureS3ProxyJar(config, log);
    const results = await Promise.allSettled([
      startKafka(config, log),
      startS3(config, config.s3.primary, log),
      startS3(config, config.s3.replica, log),
      ensureRedis(config, log),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw failed.length === 1 ? failed[0]!.reason : new AggregateError(failed.map((f) => f.reason));
    const redis = results[3] as PromiseFulfilledResult<{ url: string }>;
    writeFileSync(p.state, JSON.stringify({ redisUrl: redis.value.url } satisfies StackState, null, 2));
    return startedNow();
  } catch (error) {
    await down(config, startedNow()).catch(() => undefined);
    throw error;
  }
}

/** Stops the named services (default: all) that this stack started, by their pid files. */
export async function down(config: StackConfig, only: ServiceName[] = serviceNames): Promise<ServiceName[]> {
  const stopped: ServiceName[] = [];
  const stopOne = async (name: ServiceName): Promise<void> => {
    const did =
      name === 'kafka'
        ? await stopKafka(config)
        : name === 'redis'
          ? await stopRedis(config)
          : await stopS3(config, name === 's3-primary' ? config.s3.primary : config.s3.replica);
    if (did) stopped.push(name);
  };
  const results = await Promise.allSettled(only.map(stopOne));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0)
    throw new AggregateError(
      failed.map((f) => f.reason),
      'local-stack: some services did not stop',
    );
  return stopped;
}

/** Stops everything and deletes the broker's, S3's and Redis's data; the Maven cache is kept. */
export async function reset(config: StackConfig): Promise<void> {
  await down(config);
  const p = paths(config);
  for (const dir of [p.kafkaData, p.s3Data('primary'), p.s3Data('replica'), p.redisData, p.state]) {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ServiceStatus {
  name: ServiceName;
  pid: number | undefined;
  address: string;
  version: string;
  healthy: boolean;
  ownedByStack: boolean;
}

export async function status(config: StackConfig): Promise<ServiceStatus[]> {
  const p = paths(config);
  const state = readState(config);
  const pid = (n: ServiceName) => {
    const found = runningPid(p.run, n);
    return found !== undefined && isAlive(found) ? found : undefined;
  };
  const s3Status = (name: 's3-primary' | 's3-replica') => {
    const endpoint = name === 's3-primary' ? config.s3.primary : config.s3.replica;
    const found = pid(name);
    return {
      name,
      pid: found,
      address: `http://127.0.0.1:${endpoint.port} bucket ${endpoint.bucket} (${endpoint.region})`,
      version: `S3Proxy ${config.s3.version}`,
      healthy: found !== undefined,
      ownedByStack: found !== undefined,
    };
  };
  const kafkaPid = pid('kafka');
  const redisPid = pid('redis');
  return [
    {
      name: 'kafka',
      pid: kafkaPid,
      address: `127.0.0.1:${config.kafka.port}`,
      version: `Apache Kafka ${config.kafka.version} (KRaft)`,
      healthy: kafkaPid !== undefined && (await kafkaReady(config).catch(() => false)),
      ownedByStack: kafkaPid !== undefined,
    },
    s3Status('s3-primary'),
    s3Status('s3-replica'),
    {
      name: 'redis',
      pid: redisPid,
      address: state.redisUrl,
      version: 'redis-server',
      healthy: await redisAnswers(state.redisUrl),
      ownedByStack: redisPid !== undefined,
    },
  ];
}
