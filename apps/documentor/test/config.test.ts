import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Authenticator, DEV_TOKENS, loadEnv, parseTokens } from '../src/index.js';

describe('configuration', () => {
  it('reads every variable with documented defaults and reports all bad ones at once', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      LABELS_TOPIC: 'labeldocs.labels',
      DOCUMENTOR_TOKENS: DEV_TOKENS,
    });
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:19092']);
    expect(() => loadEnv({ PORT: 'eighty', BODY_LIMIT_BYTES: '1' })).toThrow(/PORT:[\s\S]*BODY_LIMIT_BYTES:/);
  });

  it('hashes plain tokens, accepts pre-hashed ones, and names every malformed entry', () => {
    const hex = createHash('sha256').update('secret-ops').digest('hex');
    const { entries, problems } = parseTokens('reader:r1,carol:analyst:c1', `ops-bot:ops:${hex}`);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.actor, e.role])).toEqual([
      ['reader', 'reader'],
      ['carol', 'analyst'],
      ['ops-bot', 'ops'],
    ]);
    // Only digests are kept.
    expect(JSON.stringify(entries)).not.toContain('c1');
    const auth = new Authenticator(entries);
    expect(auth.authenticate('Bearer secret-ops')).toEqual({ actor: 'ops-bot', role: 'ops' });
    expect(auth.authenticate('Bearer c1')).toEqual({ actor: 'carol', role: 'analyst' });
    expect(() => auth.authenticate('Bearer r2')).toThrow(/unknown token/);
    expect(() => auth.authenticate(undefined)).toThrow(/missing bearer token/);
    expect(() => auth.authenticate('Basic cjE=')).toThrow(/missing bearer token/);

    const bad = parseTokens('admin:x,justatoken,reader:', 'a:ops:nothex,b:boss:' + hex);
    expect(bad.problems).toEqual([
      'DOCUMENTOR_TOKENS[0]: role must be one of reader, analyst, ops',
      'DOCUMENTOR_TOKENS[1]: must be role:token or actor:role:token',
      'DOCUMENTOR_TOKENS[2]: must be role:token or actor:role:token',
      'DOCUMENTOR_TOKEN_HASHES[0]: must be actor:role:<64 hex digits of SHA-256>',
      'DOCUMENTOR_TOKEN_HASHES[1]: role must be one of reader, analyst, ops',
    ]);
  });
});
