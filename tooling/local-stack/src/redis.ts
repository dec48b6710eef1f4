import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { paths, type StackConfig } from './config.ts';
import { ensureCommand } from './prereqs.ts';
import { assertPortFree, runningPid, spawnDaemon, stopNamed, waitUntil } from './processes.ts';

export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Uses REDIS_URL when it answers PING (these machines run one on 6379); otherwise starts Debian's
 * redis-server on a free loopback port. Returns the URL to use and whether we own the process.
 */
export async function ensureRedis(
  config: StackConfig,
  log: (line: string) => void,
): Promise<{ url: string; started: boolean; pid?: number }> {
  const p = paths(config);
  const ownUrl = `redis://127.0.0.1:${config.redis.fallbackPort}`;
  const ownPid = runningPid(p.run, 'redis');
  if (ownPid !== undefined) return { url: ownUrl, started: true, pid: ownPid };
  if (await redisAnswers(config.redis.url)) return { url: config.redis.url, started: false };
  log(
    `Redis at ${config.redis.url} does not answer; starting redis-server on 127.0.0.1:${config.redis.fallbackPort}`,
  );
  ensureCommand('redis-server', 'redis-server', log);
  await assertPortFree(config.redis.fallbackPort, 'Redis', 'REDIS_FALLBACK_PORT');
  mkdirSync(p.redisData, { recursive: true });
  const logFile = join(p.logs, 'redis.log');
  mkdirSync(p.logs, { recursive: true });
  const pid = spawnDaemon({
    name: 'redis',
    command: 'redis-server',
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(config.redis.fallbackPort),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      p.redisData,
    ],
    runDir: p.run,
    logFile,
  });
  await waitUntil('Redis', () => redisAnswers(ownUrl), { timeoutMs: 20_000, logFile, pid });
  return { url: ownUrl, started: true, pid };
}

export function stopRedis(config: StackConfig): Promise<boolean> {
  return stopNamed(paths(config).run, 'redis');
}
