import { describe, expect, it } from 'vitest';
import { AS, input, memoryApp, trackedLabel } from './support/app.js';

const url = '/labels/san_SearchTerm';

describe('GET /labels/:name (serialized once per version) and request metrics', () => {
  it('a read after a write, new tracking data, a delete and a re-create shows the new state', async () => {
    const { call, tracked } = await memoryApp();
    const get = () => call({ method: 'GET', url, headers: AS.reader });
    await call({ method: 'PUT', url, headers: AS.alice, payload: input({ description: 'first' }) });
    for (let i = 0; i < 2; i++) {
      const read = await get();
      expect(read.headers.etag).toBe('"1"');
      expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(read.json()).toMatchObject({ version: 1, label: { description: 'first' }, tracking: null });
    }
    const put = await call({
      method: 'PUT',
      url,
      headers: { ...AS.bob, 'if-match': '"1"' },
      payload: input({ description: 'second' }),
    });
    expect(put.json()).toMatchObject({ version: 2, label: { description: 'second', updatedBy: 'bob' } });
    expect((await get()).json()).toMatchObject({ version: 2, label: { description: 'second' } });

    await tracked.put('san_SearchTerm', trackedLabel('san_SearchTerm', '2026-02-01T00:00:00.000Z', 5));
    expect((await get()).json().tracking).toMatchObject({ totalCount: 5 });
    await tracked.put('san_SearchTerm', trackedLabel('san_SearchTerm', '2026-02-02T00:00:00.000Z', 9));
    const retracked = await get();
    expect(retracked.headers.etag).toBe('"2"');
    expect(retracked.json().tracking).toMatchObject({ totalCount: 9, lastSeen: '2026-02-02T00:00:00.000Z' });

    await call({ method: 'DELETE', url, headers: { ...AS.alice, 'if-match': '"2"' } });
    expect((await get()).statusCode).toBe(404);
    await call({ method: 'PUT', url, headers: AS.alice, payload: input({ description: 'again' }) });
    const recreated = await get();
    expect(recreated.headers.etag).toBe('"4"');
    expect(recreated.json()).toMatchObject({ version: 4, label: { description: 'again' } });
    // A bad name is still a 400 naming `name`, not a 404.
    const bad = await call({ method: 'GET', url: '/labels/NoGroup', headers: AS.reader });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('name');
  });

  it('a version number seen before with other content (after a restore from backup) is not served from the cache', async () => {
    const { call, labels } = await memoryApp();
    const get = () => call({ method: 'GET', url, headers: AS.reader });
    const name = 'san_SearchTerm';
    await call({ method: 'PUT', url, headers: AS.alice, payload: input({ description: 'one' }) });
    const one = labels.get(name)!.value;
    await labels.put(name, { ...one, description: 'two' }, { expectedVersion: 1 });
    expect((await get()).json()).toMatchObject({ version: 2, label: { description: 'two' } });
    // Other instances write (this one serves no response for them), a restore brings version 1 back, and the
    // next write takes version 2 again, with other content.
    await labels.put(name, { ...one, description: 'three' }, { expectedVersion: 2 });
    labels.restore(name, one, 1);
    await labels.put(name, { ...one, description: 'after' }, { expectedVersion: 1 });
    const read = await get();
    expect(read.headers.etag).toBe('"2"');
    expect(read.json()).toMatchObject({ version: 2, label: { description: 'after' } });
  });

  it('counts requests per route and status, conflicts by kind, and requests no route matched', async () => {
    const { call } = await memoryApp();
    await call({ method: 'PUT', url, headers: AS.alice, payload: input() });
    for (let i = 0; i < 3; i++) await call({ method: 'GET', url, headers: AS.reader });
    await call({ method: 'GET', url, headers: { authorization: 'Bearer nope' } });
    await call({ method: 'PUT', url, headers: { ...AS.alice, 'if-match': '"7"' }, payload: input() });
    await call({ method: 'GET', url: '/nowhere', headers: AS.reader });
    const first = (await call({ method: 'GET', url: '/metrics' })).body;
    const requests = (body: string, labels: string) => sample(body, 'documentor_http_requests_total', labels);
    expect(requests(first, 'method="GET",route="/labels/:name",status="200"')).toBe(3);
    expect(requests(first, 'method="GET",route="/labels/:name",status="401"')).toBe(1);
    expect(requests(first, 'method="PUT",route="/labels/:name",status="201"')).toBe(1);
    expect(requests(first, 'method="PUT",route="/labels/:name",status="412"')).toBe(1);
    expect(requests(first, 'method="GET",route="unmatched",status="404"')).toBe(1);
    expect(sample(first, 'documentor_write_conflicts_total', 'kind="version_mismatch"')).toBe(1);
    expect(
      sample(first, 'documentor_http_request_duration_seconds_count', 'method="GET",route="/labels/:name"'),
    ).toBe(4);
    // Counts accumulate across scrapes (they are added to the counters at scrape time, once).
    await call({ method: 'GET', url, headers: AS.reader });
    const second = (await call({ method: 'GET', url: '/metrics' })).body;
    expect(requests(second, 'method="GET",route="/labels/:name",status="200"')).toBe(4);
    expect(sample(second, 'documentor_write_conflicts_total', 'kind="version_mismatch"')).toBe(1);
  });
});

/** The value of one series in a Prometheus text exposition (the registry adds `app="documentor"`, first or last). */
function sample(body: string, metric: string, labels: string): number | undefined {
  const line = body
    .split('\n')
    .find(
      (l) => l.startsWith(`${metric}{${labels},`) || l.startsWith(`${metric}{app="documentor",${labels}}`),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
