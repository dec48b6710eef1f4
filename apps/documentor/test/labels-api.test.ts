import { describe, expect, it } from 'vitest';
import { AS, input, memoryApp } from './support/app.js';

describe('label API (HTTP logic on an in-memory store)', () => {
  it('creates a label with 201 and an ETag, reads it back, and records who wrote it', async () => {
    const { call } = await memoryApp();
    const put = await call({
      method: 'PUT',
      url: '/labels/san_SearchTerm',
      headers: AS.alice,
      payload: input(),
    });
    expect(put.statusCode).toBe(201);
    expect(put.headers.etag).toBe('"1"');
    const get = await call({ method: 'GET', url: '/labels/san_SearchTerm', headers: AS.reader });
    expect(get.statusCode).toBe(200);
    expect(get.headers.etag).toBe('"1"');
    const body = get.json();
    expect(body).toMatchObject({ name: 'san_SearchTerm', group: 'san', version: 1 });
    expect(body.label).toMatchObject({ createdBy: 'alice', updatedBy: 'alice', ownerTeam: 'search' });
  });

  it('rejects missing and unknown tokens with 401 and a reader writing with 403', async () => {
    const { call } = await memoryApp();
    expect((await call({ method: 'GET', url: '/labels' })).statusCode).toBe(401);
    const wrong = await call({ method: 'GET', url: '/labels', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('DOC_UNAUTHENTICATED');
    const forbidden = await call({
      method: 'PUT',
      url: '/labels/san_X',
      headers: AS.reader,
      payload: input(),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('DOC_FORBIDDEN');
    const analystImport = await call({ method: 'POST', url: '/import', headers: AS.alice, payload: [] });
    expect(analystImport.statusCode).toBe(403);
  });

  it('names every wrong field in a 400', async () => {
    const { call } = await memoryApp();
    const res = await call({
      method: 'PUT',
      url: '/labels/san_SearchTerm',
      headers: AS.alice,
      payload: { description: 7, ownerTeam: '', valueType: { kind: 'enum', values: [] }, colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['description', 'ownerTeam', 'valueType.values']));
    expect(JSON.stringify(res.json())).toContain('colour');
    const badName = await call({
      method: 'PUT',
      url: '/labels/NoGroup',
      headers: AS.alice,
      payload: input(),
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.fields[0].path).toBe('name');
    const unknownGroup = await call({
      method: 'PUT',
      url: '/labels/zzz_Thing',
      headers: AS.alice,
      payload: input(),
    });
    expect(unknownGroup.statusCode).toBe(400);
    expect(unknownGroup.json().error.fields[0].message).toContain('not registered');
    const badQuery = await call({ method: 'GET', url: '/labels?limit=0&colour=red', headers: AS.reader });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['query.limit', 'query.colour']),
    );
  });

  it('answers 404 for an unknown label and an unknown route', async () => {
    const { call } = await memoryApp();
    const res = await call({ method: 'GET', url: '/labels/san_Missing', headers: AS.reader });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('DOC_LABEL_NOT_FOUND');
    expect((await call({ method: 'GET', url: '/nope', headers: AS.reader })).statusCode).toBe(404);
    expect(
      (await call({ method: 'PATCH', url: '/labels/san_Missing', headers: AS.alice, payload: {} }))
        .statusCode,
    ).toBe(404);
  });

  it('gives 412 with the current version when If-Match is stale, and 201/412 for If-None-Match', async () => {
    const { call } = await memoryApp();
    const url = '/labels/san_SearchTerm';
    await call({ method: 'PUT', url, headers: AS.alice, payload: input() });
    const ok = await call({
      method: 'PUT',
      url,
      headers: { ...AS.bob, 'if-match': '"1"' },
      payload: input({ description: 'bob' }),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await call({
      method: 'PUT',
      url,
      headers: { ...AS.alice, 'if-match': '"1"' },
      payload: input({ description: 'alice' }),
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toMatchObject({ code: 'DOC_VERSION_MISMATCH', currentVersion: 2 });
    const exists = await call({
      method: 'PUT',
      url,
      headers: { ...AS.alice, 'if-none-match': '*' },
      payload: input(),
    });
    expect(exists.statusCode).toBe(412);
    const badTag = await call({
      method: 'PUT',
      url,
      headers: { ...AS.alice, 'if-match': 'soon' },
      payload: input(),
    });
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json().error.fields[0].path).toBe('headers.if-match');
  });

  it('patches fields, deprecates with a replacement, refuses a forbidden status change, and deletes', async () => {
    const { call } = await memoryApp();
    await call({ method: 'PUT', url: '/labels/san_Old', headers: AS.alice, payload: input() });
    await call({ method: 'PUT', url: '/labels/san_New', headers: AS.alice, payload: input() });
    const patched = await call({
      method: 'PATCH',
      url: '/labels/san_Old',
      headers: AS.bob,
      payload: { tags: ['x'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().label).toMatchObject({
      tags: ['x'],
      description: input().description,
      updatedBy: 'bob',
    });
    const noReplacement = await call({
      method: 'POST',
      url: '/labels/san_Old/deprecate',
      headers: AS.alice,
      payload: { date: '2026-12-31', replacement: 'san_Nowhere' },
    });
    expect(noReplacement.statusCode).toBe(400);
    expect(noReplacement.json().error.fields[0].path).toBe('replacement');
    const dep = await call({
      method: 'POST',
      url: '/labels/san_Old/deprecate',
      headers: AS.alice,
      payload: { date: '2026-12-31', replacement: 'san_New', reason: 'merged' },
    });
    expect(dep.statusCode).toBe(200);
    expect(dep.json().label).toMatchObject({ status: 'deprecated', deprecation: { replacement: 'san_New' } });
    const toDraft = await call({
      method: 'PATCH',
      url: '/labels/san_Old',
      headers: AS.alice,
      payload: { status: 'draft' },
    });
    expect(toDraft.statusCode).toBe(400);
    expect(toDraft.json().error.fields[0].path).toBe('status');
    const del = await call({
      method: 'DELETE',
      url: '/labels/san_New',
      headers: { ...AS.alice, 'if-match': '"1"' },
    });
    expect(del.statusCode).toBe(200);
    expect((await call({ method: 'GET', url: '/labels/san_New', headers: AS.reader })).statusCode).toBe(404);
  });

  it('keeps every change in the history with who, when, what and why, and answers asOf', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const { call } = await memoryApp({ now: () => new Date(clock) });
    const url = '/labels/san_SearchTerm';
    await call({ method: 'PUT', url, headers: AS.alice, payload: input({ description: 'first' }) });
    await new Promise((r) => setTimeout(r, 5));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    clock += 60_000;
    await call({
      method: 'PATCH',
      url,
      headers: { ...AS.bob, 'x-change-reason': encodeURIComponent('typo fix ✓') },
      payload: { description: 'second' },
    });
    const history = await call({ method: 'GET', url: `${url}/history`, headers: AS.reader });
    expect(history.statusCode).toBe(200);
    const events = history.json().events;
    expect(events.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ['created', 'alice'],
      ['updated', 'bob'],
    ]);
    expect(events[1].reason).toBe('typo fix ✓');
    expect(events[1].changes).toEqual([{ field: 'description', before: 'first', after: 'second' }]);
    const past = await call({ method: 'GET', url: `${url}?asOf=${between}`, headers: AS.reader });
    expect(past.statusCode).toBe(200);
    expect(past.json()).toMatchObject({ version: 1, label: { description: 'first' } });
    const catalog = await call({ method: 'GET', url: `/labels?asOf=${between}`, headers: AS.reader });
    expect(catalog.json().items.map((i: { label: { description: string } }) => i.label.description)).toEqual([
      'first',
    ]);
    const before = await call({ method: 'GET', url: `${url}?asOf=2000-01-01T00:00:00Z`, headers: AS.reader });
    expect(before.statusCode).toBe(404);
  });

  it('answers 413 for a body over the limit and 503 with Retry-After until the store is ready', async () => {
    const { call, labels } = await memoryApp({ bodyLimit: 2_048 });
    const big = await call({
      method: 'PUT',
      url: '/labels/san_Big',
      headers: AS.alice,
      payload: input({ description: 'x'.repeat(5_000) }),
    });
    expect(big.statusCode).toBe(413);
    labels.isReady = false;
    const res = await call({ method: 'GET', url: '/labels', headers: AS.reader });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect((await call({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    expect((await call({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    labels.isReady = true;
    expect((await call({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    const metrics = await call({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('documentor_http_requests_total');
    expect(metrics.body).toMatch(/documentor_http_requests_total\{[^}]*status="413"/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const { call } = await memoryApp();
    const spec = await call({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining([
        '/labels',
        '/labels/{name}',
        '/labels/{name}/history',
        '/groups',
        '/import',
        '/export',
      ]),
    );
    expect((await call({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
