/** Where the local stack listens, as `pnpm stack run` exports it; defaults match the stack's defaults. */
export interface TestEnv {
  kafkaBrokers: string[];
  redisUrl: string;
  s3: Record<
    'primary' | 'replica',
    { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string }
  >;
}

export function testEnv(env: NodeJS.ProcessEnv = process.env): TestEnv {
  const s3 = (prefix: string, port: number, region: string, user: string, bucket: string) => ({
    endpoint: env[`${prefix}_ENDPOINT`] ?? `http://127.0.0.1:${port}`,
    region: env[`${prefix}_REGION`] ?? region,
    accessKeyId: env[`${prefix}_ACCESS_KEY_ID`] ?? user,
    secretAccessKey: env[`${prefix}_SECRET_ACCESS_KEY`] ?? `local-${user.split('-')[1]}-secret`,
    bucket: env[`${prefix}_BUCKET`] ?? bucket,
  });
  return {
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    s3: {
      primary: s3('S3_PRIMARY', 19000, 'us-east-1', 'labeldocs-primary', 'labeldocs-backups'),
      replica: s3('S3_REPLICA', 19001, 'us-east-1', 'labeldocs-replica', 'labeldocs-backups-replica'),
    },
  };
}
