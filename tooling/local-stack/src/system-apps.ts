import type { AppSpec } from './apps.ts';

export interface SystemAppSpec extends AppSpec {
  portVariable: string;
}

function portFrom(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`system: ${variable} must be a port number from 1 to 65535, got "${raw}"`);
  }
  return port;
}

/** The four apps `./dev up` runs, each on its own loopback port (moved with the named variable). */
export function systemApps(env: NodeJS.ProcessEnv): SystemAppSpec[] {
  const app = (
    name: string,
    dir: string,
    variable: string,
    fallback: number,
    urls: (base: string) => Array<[string, string]>,
  ) => {
    const port = portFrom(env, variable, fallback);
    const base = `http://127.0.0.1:${port}`;
    return {
      name,
      entry: `apps/${dir}/dist/server.js`,
      port,
      portVariable: variable,
      env: { PORT: String(port), HOST: '127.0.0.1' },
      urls: [...urls(base), [`${name} metrics`, `${base}/metrics`]] as Array<[string, string]>,
    };
  };
  return [
    app('documentor', 'documentor', 'DOCUMENTOR_PORT', 8080, (b) => [
      ['Web UI (analysts)', `${b}/`],
      ['API', `${b}/labels`],
      ['OpenAPI UI', `${b}/docs`],
    ]),
    app('metadata-ingest', 'metadata-ingest', 'INGEST_PORT', 8081, (b) => [
      ['Ingest health', `${b}/health/ready`],
    ]),
    app('public-publisher', 'public-publisher', 'PUBLISHER_PORT', 8082, (b) => [
      ['Publisher health', `${b}/health/ready`],
    ]),
    app('backup-worker', 'backup-worker', 'BACKUP_WORKER_PORT', 8083, (b) => [
      ['Job dashboard (any user, password dev-ops)', `${b}/admin/queues`],
    ]),
  ].map((spec) =>
    // A local-only ops token for the dashboard; real deployments set BACKUP_OPS_TOKENS themselves (hashed).
    spec.name === 'backup-worker'
      ? { ...spec, env: { ...spec.env, BACKUP_OPS_TOKENS: env.BACKUP_OPS_TOKENS ?? 'dev-ops' } }
      : spec,
  );
}

export function printWhereToLook(apps: SystemAppSpec[], env: Record<string, string>, logsDir: string): void {
  const rows: Array<[string, string]> = apps.flatMap((a) => a.urls);
  rows.push(['Kafka (bootstrap)', env.KAFKA_BROKERS ?? '']);
  rows.push(['S3 primary / replica', `${env.S3_PRIMARY_ENDPOINT} / ${env.S3_REPLICA_ENDPOINT}`]);
  rows.push(['Redis', env.REDIS_URL ?? '']);
  rows.push(['App logs', logsDir]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    '',
    'labeldocs is up. Where to look:',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    'Dev tokens (local only): reader dev-reader, analyst dev-analyst, ops dev-ops (docs/configuration.md).',
    'Public topic: pnpm stack kafka console-consumer --bootstrap-server 127.0.0.1:19092 --topic labeldocs.public-labels --from-beginning',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
