import { z } from 'zod';

/** Thrown when the environment is invalid; lists every problem at once. */
export class EnvError extends Error {
  static readonly code = 'APP_ENV_INVALID';
  readonly code = EnvError.code;
  readonly retryable = false;
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n  ${problems.join('\n  ')}`);
    this.name = 'EnvError';
  }
}

const SECRET = /SECRET|PASSWORD|TOKEN|KEY/i;

/**
 * Validates `env` against a zod object schema, reporting all problems at once
 * (`PORT: expected a number, got "abc"`).
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const got = env[name];
      return `${name}: ${issue.message}${got === undefined ? '' : `, got "${SECRET.test(name) ? '***' : got}"`}`;
    }),
  );
}

/** The parsed configuration with secrets masked, for the start-up log line. */
export function maskSecrets(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, SECRET.test(k) && v !== undefined && v !== '' ? '***' : v]),
  );
}

/** Common schema pieces. */
export const envFields = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: z.string().default('127.0.0.1'),
  brokers: z
    .string()
    .default('127.0.0.1:19092')
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
