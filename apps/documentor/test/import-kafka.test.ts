import { describe, expect, it } from 'vitest';
import { AS, input } from './support/app.js';
import { freshTopics, startDocumentor } from './support/kafka.js';

const COUNT = 2_000;
const name = (i: number) => `prd_Label${i}`;

describe('POST /import on the real kv-store (real broker, fresh topic)', () => {
  it('imports 2,000 labels: the dry run counts creates, updates and conflicts, the apply writes them, a second instance reads the same state', async () => {
    const topics = freshTopics('import');
    const a = await startDocumentor(topics, 'import-a');
    const call = a.app.inject.bind(a.app);

    // 50 labels exist at version 1; 10 of them are then edited to version 2 by someone else.
    const existing = Array.from({ length: 50 }, (_, i) => ({
      name: name(i),
      ...input({ description: `before ${i}` }),
    }));
    const seeded = await call({
      method: 'POST',
      url: '/import?dryRun=false',
      headers: AS.ops,
      payload: existing,
    });
    expect(seeded.json()).toMatchObject({ applied: 50, conflicts: [], invalid: [] });
    for (let i = 40; i < 50; i++) {
      const edit = await call({
        method: 'PUT',
        url: `/labels/${name(i)}`,
        headers: { ...AS.bob, 'if-match': '"1"' },
        payload: input({ description: `bob's edit ${i}` }),
      });
      expect(edit.statusCode).toBe(200);
    }

    // The file: the 50 as exported at version 1 with a new description, then 1,950 new labels.
    const items = Array.from({ length: COUNT }, (_, i) => ({
      name: name(i),
      ...(i < 50 ? { version: 1 } : {}),
      ...input({ description: `imported ${i}` }),
    }));
    const dry = await call({ method: 'POST', url: '/import', headers: AS.ops, payload: items });
    expect(dry.statusCode).toBe(200);
    const planned = dry.json();
    expect(planned).toMatchObject({ dryRun: true, total: COUNT, applied: 0, invalid: [], unchanged: [] });
    expect(planned.creates).toHaveLength(COUNT - 50);
    expect(planned.updates).toHaveLength(40);
    expect(planned.conflicts).toHaveLength(10);
    expect(planned.conflicts[0]).toEqual({ name: name(40), expectedVersion: 1, currentVersion: 2 });
    // The dry run wrote nothing.
    expect(a.labels.size).toBe(50);
    expect(a.labels.get(name(0))?.value.description).toBe('before 0');

    const applied = await call({
      method: 'POST',
      url: '/import?dryRun=false',
      headers: AS.ops,
      payload: items,
    });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ dryRun: false, applied: COUNT - 10, invalid: [] });
    expect(applied.json().conflicts).toHaveLength(10);

    // Every label is readable through the API, with the content the import gave it (or Bob's, where he won).
    const expected = (i: number) =>
      i >= 40 && i < 50
        ? { version: 2, description: `bob's edit ${i}`, updatedBy: 'bob' }
        : { version: i < 40 ? 2 : 1, description: `imported ${i}`, updatedBy: 'ops' };
    for (let i = 0; i < COUNT; i++) {
      const res = await call({ method: 'GET', url: `/labels/${name(i)}`, headers: AS.reader });
      expect(res.statusCode, name(i)).toBe(200);
      const { version, description, updatedBy } = expected(i);
      expect(res.headers.etag).toBe(`"${version}"`);
      expect(res.json().label).toMatchObject({ description, updatedBy });
    }

    // A second instance on a fresh kv-store reads the topic from the start and holds exactly the same state.
    const b = await startDocumentor(topics, 'import-b');
    expect(b.labels.size).toBe(COUNT);
    for (const [key, label] of a.labels.entries()) expect(b.labels.get(key), key).toEqual(label);
    const fromB = await b.app.inject({ method: 'GET', url: `/labels/${name(1_999)}`, headers: AS.reader });
    expect(fromB.json()).toMatchObject({ version: 1, label: { description: 'imported 1999' } });
    const history = await b.app.inject({
      method: 'GET',
      url: `/labels/${name(3)}/history`,
      headers: AS.reader,
    });
    expect(history.json().events.map((e: { actor: string }) => e.actor)).toEqual(['ops', 'ops']);
  });
});
