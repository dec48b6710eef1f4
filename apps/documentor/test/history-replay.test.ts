import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Documentor } from '../src/runtime.js';
import { AS, input } from './support/app.js';
import { eventually, freshTopics, startDocumentor } from './support/kafka.js';

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

  it('a change event that does not decode (written by another tool) is skipped and counted; the rest of the history is served', async () => {
    const topics = freshTopics('bad-event');
    const first = await startDocumentor(topics, 'doc-bad-event');
    const url = '/labels/cart_Value';
    const put = await first.app.inject({
      method: 'PUT',
      url,
      headers: AS.alice,
      payload: input({ description: 'v1' }),
    });
    expect(put.statusCode).toBe(201);
    const producer = createTestKafka().producer();
    await producer.connect();
    onTestFinished(() => producer.disconnect());
    await producer.send({
      topic: topics.labels,
      acks: -1,
      messages: [
        {
          key: '\u0000cart_Value\u0000from-another-tool',
          value: '{"label":',
          headers: { 'kv-version': '2' },
        },
      ],
    });
    const second = await startDocumentor(topics, 'doc-bad-event-fresh');
    // The bad event is decoded (and counted) when a history read first needs it; the running instance reads it
    // from the topic a moment after it was produced.
    const historyOf = (instance: Documentor) =>
      instance.app.inject({ method: 'GET', url: `${url}/history`, headers: AS.reader });
    for (const instance of [first, second]) {
      await eventually(async () => {
        await historyOf(instance);
        return (await metric(instance, 'documentor_history_undecodable')) === 1;
      }, 'the bad event is counted');
      const history = await historyOf(instance);
      expect(history.statusCode).toBe(200);
      expect(history.json().events.map((e: { version: number }) => e.version)).toEqual([1]);
      expect(await metric(instance, 'documentor_history_undecodable')).toBe(1);
    }
  });
});

async function metric(documentor: Documentor, name: string): Promise<number | undefined> {
  const body = (await documentor.app.inject({ method: 'GET', url: '/metrics' })).body;
  // e.g. `documentor_history_undecodable{app="documentor"} 1`
  const line = body.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
