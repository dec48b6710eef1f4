import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { paths, type S3Endpoint, type StackConfig } from './config.ts';
import { ensureS3ProxyJar } from './maven.ts';
import { assertPortFree, runningPid, spawnDaemon, stopNamed, waitUntil } from './processes.ts';

/** An S3 client for one local endpoint; non-AWS servers need path-style URLs and checksums only when required. */
export function s3Client(endpoint: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${endpoint.port}`,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function s3ProxyProperties(config: StackConfig, endpoint: S3Endpoint): string {
  return `s3proxy.endpoint=http://127.0.0.1:${endpoint.port}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${endpoint.accessKeyId}
s3proxy.credential=${endpoint.secretAccessKey}
jclouds.provider=filesystem
jclouds.filesystem.basedir=${paths(config).s3Data(endpoint.name)}
`;
}

async function s3Ready(endpoint: S3Endpoint): Promise<boolean> {
  const client = s3Client(endpoint);
  try {
    await client.send(new ListBucketsCommand({}));
    return true;
  } finally {
    client.destroy();
  }
}

async function ensureBucket(endpoint: S3Endpoint): Promise<void> {
  const client = s3Client(endpoint);
  try {
    await client.send(new HeadBucketCommand({ Bucket: endpoint.bucket })).catch(async () => {
      await client.send(new CreateBucketCommand({ Bucket: endpoint.bucket }));
    });
  } finally {
    client.destroy();
  }
}

/** Starts one S3Proxy process per endpoint: separate credentials and data folders stand for two accounts/regions. */
export async function startS3(
  config: StackConfig,
  endpoint: S3Endpoint,
  log: (line: string) => void,
): Promise<number> {
  const p = paths(config);
  const name = `s3-${endpoint.name}`;
  const running = runningPid(p.run, name);
  if (running !== undefined) return running;
  const variable = endpoint.name === 'primary' ? 'S3_PRIMARY_PORT' : 'S3_REPLICA_PORT';
  await assertPortFree(endpoint.port, `S3 (${endpoint.name})`, variable);
  const jar = ensureS3ProxyJar(config, log);
  mkdirSync(p.s3Data(endpoint.name), { recursive: true });
  const propsFile = join(config.dir, 's3', `${endpoint.name}.properties`);
  writeFileSync(propsFile, s3ProxyProperties(config, endpoint));
  mkdirSync(p.logs, { recursive: true });
  const logFile = join(p.logs, `${name}.log`);
  const pid = spawnDaemon({
    name,
    command: 'java',
    args: ['-Xmx256m', '-jar', jar, '--properties', propsFile],
    runDir: p.run,
    logFile,
  });
  log(
    `S3 ${endpoint.name} (S3Proxy ${config.s3.version}) starting on 127.0.0.1:${endpoint.port} (pid ${pid})`,
  );
  await waitUntil(`S3 ${endpoint.name}`, () => s3Ready(endpoint), { timeoutMs: 60_000, logFile, pid });
  await ensureBucket(endpoint);
  return pid;
}

export function stopS3(config: StackConfig, endpoint: S3Endpoint): Promise<boolean> {
  return stopNamed(paths(config).run, `s3-${endpoint.name}`);
}
