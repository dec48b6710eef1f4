import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AS, input, memoryApp } from './support/app.js';

const names = fc.oneof(
  fc.constantFrom('san_SearchTerm', 'san_Other', 'cart_Value', 'zzz_Unknown', 'NoGroup', '%00', '..', 'san_'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const paths = fc.oneof(
  names.map((n) => `/labels/${n}`),
  names.map((n) => `/labels/${n}/history`),
  names.map((n) => `/labels/${n}/deprecate`),
  fc.constantFrom('/labels', '/groups', '/export', '/import', '/events', '/nope', '/labels/'),
);
const queries = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'q',
          'group',
          'status',
          'limit',
          'cursor',
          'asOf',
          'sort',
          'documented',
          'format',
          'dryRun',
          'staleDays',
          'x',
        ),
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('0', '-1', '1e9', 'true', '2026-01-01T00:00:00Z', 'csv'),
        ),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
);
const bodies = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record({ description: fc.jsonValue(), ownerTeam: fc.jsonValue(), valueType: fc.jsonValue() })
    .map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify(input())),
  fc.constant(JSON.stringify([input()])),
  fc.constant('{"__proto__":{"x":1}}'),
  fc.constant('{not json'),
  fc.string({ maxLength: 200 }),
);
const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constantFrom(AS.reader.authorization, AS.alice.authorization, AS.ops.authorization),
      fc.string({ maxLength: 20 }),
    ),
    'if-match': fc.oneof(
      fc.constantFrom('"1"', '*', 'W/"2"', '"99999999999999999999"'),
      fc.string({ maxLength: 10 }),
    ),
    'if-none-match': fc.constantFrom('*', 'x'),
    'content-type': fc.constantFrom('application/json', 'text/csv', 'text/plain', 'application/xml', ''),
    'x-change-reason': fc.string({ maxLength: 30 }).map(encodeURIComponent),
  },
  { requiredKeys: [] },
);

describe('fuzzing every endpoint', () => {
  it('never answers 500 and never leaves an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const { call } = await memoryApp();
    const seen = new Set<number>();
    await call({ method: 'PUT', url: '/labels/san_SearchTerm', headers: AS.alice, payload: input() });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'PUT', 'PATCH', 'POST', 'DELETE'),
          paths,
          queries,
          headers,
          bodies,
          async (method, path, query, h, body) => {
            // SSE streams never end; the fuzzer checks its auth and readiness paths only.
            if (
              path === '/events' &&
              (h.authorization === AS.reader.authorization ||
                h.authorization === AS.alice.authorization ||
                h.authorization === AS.ops.authorization)
            )
              return;
            const res = await call({
              method,
              url: path + query,
              headers: Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')),
              ...(body === undefined || method === 'GET' ? {} : { payload: body }),
            });
            seen.add(res.statusCode);
            expect(res.statusCode, `${method} ${path}${query} -> ${res.body.slice(0, 300)}`).toBeLessThan(
              500,
            );
          },
        ),
        { numRuns: 600 },
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
      // The fuzzer reached past authentication and validation, not only the front door.
      expect([...seen]).toEqual(expect.arrayContaining([200, 400, 401, 403, 404]));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
