import { envFields, parseEnv } from '@labeldocs/app-kit';
import { z } from 'zod';

/** Every variable backup-worker reads; the only file that touches process.env. */
export const envSchema = z.object({
  HOST: envFields.host,
  PORT: envFields.port(8083),
  KAFKA_BROKERS: envFields.brokers,
  LOG_LEVEL: envFields.logLevel,
});

export type AppEnv = z.infer<typeof envSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): AppEnv => parseEnv(envSchema, env);
