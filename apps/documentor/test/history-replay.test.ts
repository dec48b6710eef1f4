import { describe, expect, it } from 'vitest';
import { AS, input } from './support/app.js';
import { freshTopics, startDocumentor } from './support/kafka.js';

describe('history and asOf from the change log (real broker)', () => {
  it('a fresh instance replays the change log: every acknowledged write, who made it, and the past state', async () => {
    const topics = freshTopics('replay');
    const first = await startDocumentor(topics, 'doc-first');
    const call = first.app.inject.bind(first.app);
    const url = '/labels/cart_Value';
    expect(
      (await call({ method: 'PUT', url, headers: AS.alice, payload: input({ description: 'v1' }) }))
        .statusCode,
    ).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const patch = await call({
      method: 'PATCH',
      url,
      headers: { ...AS.bob, 'if-match': '"1"', 'x-change-reason': 'cents%20not%20euros' },
      payload: { description: 'v2' },
    });
    expect(patch.statusCode).toBe(200);
    const del = await call({ method: 'DELETE', url, headers: { ...AS.alice, 'if-match': '"2"' } });
    expect(del.statusCode).toBe(200);
    // The deleting instance's history already shows the delete (read-your-writes through the change log).
    const own = await call({ method: 'GET', url: `${url}/history`, headers: AS.reader });
    expect(own.json().events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'updated', 'deleted']);
    await first.close();
    await first.close(); // idempotent

    const second = await startDocumentor(topics, 'doc-second');
    const ready = await second.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const history = await second.app.inject({ method: 'GET', url: `${url}/history`, headers: AS.reader });
    expect(history.statusCode).toBe(200);
    const events = history.json().events as Array<{
      version: number;
      kind: string;
      actor: string;
      reason?: string;
    }>;
    expect(events.map((e) => [e.version, e.kind, e.actor])).toEqual([
      [1, 'created', 'alice'],
      [2, 'updated', 'bob'],
      [3, 'deleted', 'alice'],
    ]);
    expect(events[1]!.reason).toBe('cents not euros');
    expect((await second.app.inject({ method: 'GET', url, headers: AS.reader })).statusCode).toBe(404);
    const past = await second.app.inject({
      method: 'GET',
      url: `${url}?asOf=${between}`,
      headers: AS.reader,
    });
    expect(past.statusCode).toBe(200);
    expect(past.json()).toMatchObject({ version: 1, label: { description: 'v1', createdBy: 'alice' } });
  });
});
