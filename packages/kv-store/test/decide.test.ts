import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as kv from '../src/index.js';

describe('decide', () => {
  it('accepts exactly the writes whose expected version matches, and versions only ever grow', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom<'put' | 'delete'>('put', 'delete'),
            expected: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        (commands) => {
          let state = { exists: false, lastVersion: 0 };
          for (const c of commands) {
            const visible = state.exists ? state.lastVersion : 0;
            const d = kv.decide(state, c.op, c.expected);
            if (c.expected !== undefined && c.expected !== visible) {
              expect(d).toEqual({ kind: 'conflict', currentVersion: visible });
            } else if (c.op === 'delete' && !state.exists) {
              expect(d.kind).toBe('noop');
            } else {
              expect(d).toEqual({ kind: 'accept', version: state.lastVersion + 1 });
              state = { exists: c.op === 'put', lastVersion: state.lastVersion + 1 };
            }
          }
        },
      ),
    );
  });
});

describe('error codes', () => {
  it('every kv-store error class has a row in docs/error-codes.md with the same retryable flag', () => {
    const table = readFileSync(new URL('../../../docs/error-codes.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...table.matchAll(/^\| `(KV_[A-Z_]+)` \| kv-store \| (yes|no) \|/gm)].map((m) => [
        m[1],
        m[2] === 'yes',
      ]),
    );
    const samples: kv.KvError[] = [
      new kv.KvNotReadyError('x'),
      new kv.KvClosedError('x'),
      new kv.KvConflictError('k', 1, 2),
      new kv.KvTopicMisconfiguredError('t', 'cleanup.policy', 'delete', 'why'),
      new kv.KvInvalidValueError('k', [{ path: 'n', message: 'bad' }]),
      new kv.KvInvalidKeyError('\u0000k', 'reserved'),
      new kv.KvTimeoutError('x'),
      new kv.KvBrokerUnavailableError('x'),
      new kv.KvReadOnlyError('x'),
    ];
    const exported = Object.values(kv).filter((v) => typeof v === 'function' && 'code' in v);
    expect(exported.length).toBe(samples.length);
    for (const error of samples) expect(rows.get(error.code), error.code).toBe(error.retryable);
    expect([...rows.keys()].sort()).toEqual(samples.map((e) => e.code).sort());
  });
});

describe('writer chunks', () => {
  it('split a batch of commands in order into transactions of bounded size', async () => {
    const { chunks } = await import('../src/plan.js');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 60 }), (sizes) => {
        const messages = sizes.map((size, i) => ({
          key: Buffer.from('k'),
          value: Buffer.alloc(size),
          offset: String(i),
          timestamp: '0',
          attributes: 0,
          headers: {},
        }));
        const out = chunks(messages, 10_000);
        expect(out.flat().map((m) => m.offset)).toEqual(messages.map((m) => m.offset));
        for (const chunk of out) {
          expect(chunk.length).toBeGreaterThan(0);
          const bytes = chunk.reduce((sum, m) => sum + 1 + (m.value?.length ?? 0) + 200, 0);
          if (chunk.length > 1) expect(bytes).toBeLessThanOrEqual(10_000);
        }
      }),
    );
  });
});
