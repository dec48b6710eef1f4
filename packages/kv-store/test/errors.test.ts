import { describe, expect, it } from 'vitest';
import { KvClosedError, KvNotReadyError } from '../src/index.js';

describe('kv-store errors', () => {
  it('carry a code, a retryable flag and their cause', () => {
    const cause = new Error('root');
    const error = new KvNotReadyError('still bootstrapping', { cause });
    expect(error.code).toBe('KV_NOT_READY');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(new KvClosedError('closed').retryable).toBe(false);
  });
});
