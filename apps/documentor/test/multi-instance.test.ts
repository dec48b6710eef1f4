import { describe, expect, it } from 'vitest';
import { AS, input } from './support/app.js';
import { eventually, freshTopics, startDocumentor } from './support/kafka.js';

describe('two documentor instances on one topic (real kv-store, real broker)', () => {
  it('a write on one is visible on the other, and concurrent edits give exactly one 200 and one 409/412', async () => {
    const topics = freshTopics('multi');
    const [a, b] = await Promise.all([startDocumentor(topics, 'doc-a'), startDocumentor(topics, 'doc-b')]);
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const base = (d: typeof a) => {
      const address = d.app.server.address();
      return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    };
    const [urlA, urlB] = [base(a), base(b)];
    const url = '/labels/san_SearchTerm';

    // B listens for live updates before A writes.
    const events = await fetch(`${urlB}/events?access_token=r-token`);
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();

    const created = await fetch(urlA + url, {
      method: 'PUT',
      headers: { ...AS.alice, 'content-type': 'application/json' },
      body: JSON.stringify(input()),
    });
    expect(created.status).toBe(201);
    await eventually(
      async () => (await fetch(urlB + url, { headers: AS.reader })).status === 200,
      'B sees the label A created',
    );
    let sse = '';
    while (!sse.includes('event: label')) sse += new TextDecoder().decode((await reader.read()).value);
    expect(sse).toContain('"name":"san_SearchTerm"');
    await reader.cancel();

    const edit = (base: string, headers: Record<string, string>, description: string) =>
      fetch(base + url, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json', 'if-match': '"1"' },
        body: JSON.stringify(input({ description })),
      });
    const results = await Promise.all([edit(urlA, AS.alice, 'from A'), edit(urlB, AS.bob, 'from B')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 412]).toContain(statuses[1]);
    const loser = results.find((r) => r.status !== 200)!;
    expect(((await loser.json()) as { error: { currentVersion: number } }).error.currentVersion).toBe(2);

    // Both instances converge on the winner, and both histories say who did what.
    const winner = results[0]!.status === 200 ? 'alice' : 'bob';
    for (const base of [urlA, urlB]) {
      await eventually(async () => {
        const res = await fetch(base + url, { headers: AS.reader });
        return res.headers.get('etag') === '"2"';
      }, `version 2 on ${base}`);
      const history = (await (await fetch(`${base}${url}/history`, { headers: AS.reader })).json()) as {
        events: Array<{ actor: string }>;
      };
      expect(history.events.map((e: { actor: string }) => e.actor)).toEqual(['alice', winner]);
    }
  });
});
