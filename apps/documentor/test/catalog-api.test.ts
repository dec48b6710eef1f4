import { describe, expect, it } from 'vitest';
import { AS, input, memoryApp, trackedLabel } from './support/app.js';

describe('catalog queries, coverage, import and export', () => {
  it('searches, filters, sorts and pages with a stable cursor, including tracked but undocumented labels', async () => {
    const { call, tracked } = await memoryApp();
    const put = (name: string, body: Record<string, unknown>) =>
      call({ method: 'PUT', url: `/labels/${name}`, headers: AS.alice, payload: body });
    await put('san_SearchTerm', input({ description: 'What the visitor typed into search' }));
    await put('san_ResultCount', input({ description: 'Number of hits', ownerTeam: 'Search' }));
    await put('cart_Value', input({ description: 'Basket value', ownerTeam: 'checkout' }));
    await put('cart_Draft', input({ description: '', status: 'draft', ownerTeam: 'checkout' }));
    await tracked.put('san_SearchTerm', trackedLabel('san_SearchTerm', '2026-03-01T00:00:00.000Z'));
    await tracked.put('san_Undocumented', trackedLabel('san_Undocumented', '2026-03-01T00:00:00.000Z', 99));
    const list = async (query: string) => {
      const res = await call({ method: 'GET', url: `/labels?${query}`, headers: AS.reader });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ name: string }>; total: number; nextCursor: string | null };
    };
    const names = async (query: string) => (await list(query)).items.map((i) => i.name);
    expect(await names('q=visitor')).toEqual(['san_SearchTerm']);
    expect(await names('q=RESULT')).toEqual(['san_ResultCount']);
    expect(await names('group=cart&sort=-name')).toEqual(['cart_Value', 'cart_Draft']);
    expect(await names('owner=search&group=san')).toEqual(['san_ResultCount', 'san_SearchTerm']);
    expect(await names('documented=false')).toEqual(['cart_Draft', 'san_Undocumented']);
    expect(await names('tracked=true')).toEqual(['san_SearchTerm', 'san_Undocumented']);
    expect(await names('status=draft')).toEqual(['cart_Draft']);

    const all: string[] = [];
    let page = await list('limit=2');
    all.push(...page.items.map((i) => i.name));
    // A label added between pages sorts before the cursor and does not shift what comes next.
    await put('cart_Aardvark', input());
    while (page.nextCursor !== null) {
      page = await list(`limit=2&cursor=${page.nextCursor}`);
      all.push(...page.items.map((i) => i.name));
    }
    expect(all).toEqual([
      'cart_Draft',
      'cart_Value',
      'san_ResultCount',
      'san_SearchTerm',
      'san_Undocumented',
    ]);
    const bad = await call({ method: 'GET', url: '/labels?cursor=garbage', headers: AS.reader });
    expect(bad.json().error.fields[0].path).toBe('query.cursor');
  });

  it('reports coverage per group: tracked labels documented, the undocumented ones, and stale documentation', async () => {
    const now = new Date('2026-03-31T00:00:00Z');
    const { call, tracked } = await memoryApp({ now: () => now });
    for (const name of ['san_A', 'san_B', 'san_C'])
      await call({ method: 'PUT', url: `/labels/${name}`, headers: AS.alice, payload: input() });
    await tracked.put('san_A', trackedLabel('san_A', '2026-03-30T00:00:00.000Z'));
    await tracked.put('san_B', trackedLabel('san_B', '2026-01-01T00:00:00.000Z'));
    await tracked.put('san_D', trackedLabel('san_D', '2026-03-30T00:00:00.000Z', 500));
    const res = await call({ method: 'GET', url: '/groups?staleDays=30', headers: AS.reader });
    expect(res.statusCode).toBe(200);
    expect(res.json().groups).toEqual([
      expect.objectContaining({
        group: 'san',
        known: true,
        labels: 4,
        documented: 3,
        tracked: 3,
        trackedDocumented: 2,
        trackedUndocumented: 1,
        coverage: 2 / 3,
        staleDocumented: 2,
        undocumentedExamples: ['san_D'],
      }),
    ]);
    // The list names exactly the stale ones the count counts: san_B (last seen in January), san_C (never).
    const stale = await call({ method: 'GET', url: '/labels?staleDays=30', headers: AS.reader });
    expect(stale.json().items.map((i: { name: string }) => i.name)).toEqual(['san_B', 'san_C']);
    const longer = await call({ method: 'GET', url: '/labels?staleDays=100', headers: AS.reader });
    expect(longer.json().items.map((i: { name: string }) => i.name)).toEqual(['san_C']);
    const bad = await call({ method: 'GET', url: '/labels?staleDays=0', headers: AS.reader });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('query.staleDays');
    const past = await call({
      method: 'GET',
      url: '/labels?staleDays=30&asOf=2026-03-30T00:00:00Z',
      headers: AS.reader,
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields[0]).toEqual({
      path: 'query.staleDays',
      message: 'cannot be combined with asOf',
    });
  });

  it('imports 2,000 labels: a dry run writes nothing, the apply writes all, a re-import is unchanged', async () => {
    const { call, labels } = await memoryApp();
    const items = Array.from({ length: 2_000 }, (_, i) => ({
      name: `prd_Label${i}`,
      ...input({ description: `label ${i}` }),
    }));
    const dry = await call({ method: 'POST', url: '/import', headers: AS.ops, payload: items });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, total: 2_000, applied: 0, invalid: [], conflicts: [] });
    expect(dry.json().creates).toHaveLength(2_000);
    expect(labels.size).toBe(0);
    const applied = await call({
      method: 'POST',
      url: '/import?dryRun=false',
      headers: AS.ops,
      payload: items,
    });
    expect(applied.json()).toMatchObject({ dryRun: false, applied: 2_000 });
    expect(labels.size).toBe(2_000);
    expect(labels.get('prd_Label7')?.value).toMatchObject({ createdBy: 'ops', description: 'label 7' });
    const again = await call({
      method: 'POST',
      url: '/import?dryRun=false',
      headers: AS.ops,
      payload: items,
    });
    expect(again.json().unchanged).toHaveLength(2_000);
    expect(again.json().applied).toBe(0);
  });

  it('reports conflicts and invalid rows naming the row and field, and applies nothing when a row is invalid', async () => {
    const { call, labels } = await memoryApp();
    await call({ method: 'PUT', url: '/labels/san_A', headers: AS.alice, payload: input() });
    await call({ method: 'PATCH', url: '/labels/san_A', headers: AS.alice, payload: { tags: ['moved on'] } });
    const items = [
      { name: 'san_A', version: 1, ...input({ description: 'old export' }) },
      { name: 'san_B', ...input() },
      { name: 'san_C', ...input({ ownerTeam: '' }) },
      { name: 'bad name', ...input() },
    ];
    const dry = await call({ method: 'POST', url: '/import', headers: AS.ops, payload: { labels: items } });
    expect(dry.json().conflicts).toEqual([{ name: 'san_A', expectedVersion: 1, currentVersion: 2 }]);
    expect(dry.json().invalid.map((f: { path: string }) => f.path)).toEqual(['[2].ownerTeam', '[3].name']);
    const apply = await call({
      method: 'POST',
      url: '/import?dryRun=false',
      headers: AS.ops,
      payload: items,
    });
    expect(apply.statusCode).toBe(400);
    expect(labels.get('san_B')).toBeUndefined();
  });

  it('exports CSV and JSON that import back unchanged', async () => {
    const { call } = await memoryApp();
    await call({
      method: 'PUT',
      url: '/labels/san_A',
      headers: AS.alice,
      payload: input({
        description: 'quotes " commas, and\nnew lines',
        valueType: { kind: 'enum', values: ['a', 'b,c'] },
        tags: ['x'],
      }),
    });
    await call({ method: 'PUT', url: '/labels/san_B', headers: AS.alice, payload: input() });
    const csv = await call({ method: 'GET', url: '/export?format=csv', headers: AS.reader });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toMatch(/^name,version,description,/);
    const back = await call({
      method: 'POST',
      url: '/import',
      headers: { ...AS.ops, 'content-type': 'text/csv' },
      payload: csv.body,
    });
    expect(back.json()).toMatchObject({ unchanged: ['san_A', 'san_B'], invalid: [], conflicts: [] });
    const json = await call({ method: 'GET', url: '/export?format=json', headers: AS.reader });
    const again = await call({ method: 'POST', url: '/import', headers: AS.ops, payload: json.json() });
    expect(again.json().unchanged).toEqual(['san_A', 'san_B']);
  });
});
