import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, envFields, maskSecrets, parseEnv } from '../src/index.js';

const schema = z.object({
  PORT: envFields.port(3000),
  API_TOKEN: z.string().min(8),
  KAFKA_BROKERS: envFields.brokers,
});

describe('parseEnv', () => {
  it('applies defaults and transforms', () => {
    const env = parseEnv(schema, { API_TOKEN: 'abcdefgh', KAFKA_BROKERS: 'a:1, b:2' });
    expect(env).toEqual({ PORT: 3000, API_TOKEN: 'abcdefgh', KAFKA_BROKERS: ['a:1', 'b:2'] });
  });

  it('reports every problem at once and masks secret values', () => {
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: 'abc', API_TOKEN: 'short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const problems = (caught as EnvError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('"abc"');
    expect(problems.find((p) => p.startsWith('API_TOKEN:'))).toContain('"***"');
  });

  it('masks secrets when printing the configuration', () => {
    expect(maskSecrets({ API_TOKEN: 'x', PORT: 1 })).toEqual({ API_TOKEN: '***', PORT: 1 });
  });
});
