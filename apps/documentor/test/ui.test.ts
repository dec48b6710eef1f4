import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../src/seed.js';
import { AS, input, trackedLabel } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { freshTopics, startDocumentor, trackedWriter, writeDemoTracking } from './support/kafka.js';

let chromium: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('web UI in headless Chromium (real documentor on the real broker)', () => {
  it('searches, opens, edits, shows a conflict when someone else changed the label first, shows history, deprecates', async () => {
    const topics = freshTopics('ui');
    const documentor = await startDocumentor(topics, 'doc-ui');
    await documentor.app.listen({ port: 0, host: '127.0.0.1' });
    const address = documentor.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const api = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      fetch(base + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const labels: Array<[string, string]> = [
      ['san_SearchTerm', 'What the visitor typed into the search box'],
      ['san_ResultCount', 'Number of search results shown'],
      ['cart_Value', 'Basket value in euro cents'],
      ['page_PageType', 'Kind of page (home, product, ...)'],
    ];
    for (const [name, description] of labels)
      expect((await api('PUT', `/labels/${name}`, AS.alice, input({ description }))).status).toBe(201);

    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.fill('#token', 'a-token');
    await page.click('#token-form button');
    await page.waitForSelector('#results tr[data-name="cart_Value"]');
    await page.waitForSelector('#groups tr[data-group="san"]');

    // Search narrows the list.
    await page.fill('#search', 'search');
    await expect.poll(() => page.locator('#results tbody tr').count()).toBe(2);
    const shown = await page.$$eval('#results tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-name')),
    );
    expect(shown.sort()).toEqual(['san_ResultCount', 'san_SearchTerm']);

    // Open and edit.
    await page.click('#results tr[data-name="san_SearchTerm"]');
    await page.waitForSelector('#d-version:has-text("version 1")');
    await page.fill('#e-description', 'The raw search term, before spelling correction');
    await page.fill('#e-reason', 'clarified');
    await page.click('#save');
    await page.waitForSelector('#saved:has-text("Saved as version 2")');

    // Someone else edits through the API; the open page hears about it live, then a save conflicts.
    const theirs = await api(
      'PATCH',
      '/labels/san_SearchTerm',
      { ...AS.bob, 'if-match': '"2"' },
      { tags: ['bob'] },
    );
    expect(theirs.status).toBe(200);
    await page.waitForSelector('#notice:has-text("bob just changed this label")');
    await page.fill('#e-description', 'My competing edit');
    await page.click('#save');
    const conflict = page.locator('#conflict');
    await conflict.waitFor({ state: 'visible' });
    expect(await conflict.textContent()).toContain('Someone else changed this label first');
    expect(await conflict.textContent()).toContain('It is now at version 3; you edited version 2');
    const stored = (await (await api('GET', '/labels/san_SearchTerm', AS.reader)).json()) as {
      label: { description: string };
    };
    expect(stored.label.description).toBe('The raw search term, before spelling correction');

    // Load theirs: the history lists all three versions with who and why.
    await page.click('#load-theirs');
    await page.waitForSelector('#d-version:has-text("version 3")');
    await expect.poll(() => page.locator('#history li').count()).toBe(3);
    const history = await page.$$eval('#history li', (items) => items.map((li) => li.textContent ?? ''));
    expect(history[0]).toMatch(/v3 updated by bob/);
    expect(history[1]).toMatch(/v2 updated by alice/);
    expect(history[1]).toContain('clarified');
    expect(history[2]).toMatch(/v1 created by alice/);

    // Deprecate through the form; the history grows by a "deprecated" entry.
    await page.click('#deprecate-box summary');
    await page.fill('#dp-date', '2026-12-31');
    await page.fill('#dp-replacement', 'san_ResultCount');
    await page.fill('#dp-reason', 'merged into the result count');
    await page.click('#deprecate button[type=submit]');
    await page.waitForSelector('#d-version:has-text("version 4")');
    expect(await page.inputValue('#e-status')).toBe('deprecated');
    await expect.poll(() => page.locator('#history li').count()).toBe(4);
    expect(await page.locator('#history li').first().textContent()).toMatch(/v4 deprecated by alice/);
    expect(errors).toEqual([]);

    if (process.env.UPDATE_SCREENSHOTS === '1') {
      const dir = join(import.meta.dirname, '../../../docs/screenshots');
      mkdirSync(dir, { recursive: true });
      // A realistic picture: the demo catalog plus tracking data for most of it.
      await seed({ url: base, token: 'o-token', dryRun: false, log: () => undefined });
      await writeDemoTracking(topics.tracked);
      await page.reload();
      await page.waitForSelector('#groups tr[data-group="wish"]');
      await page.fill('#search', 'san_S');
      await page.click('#results tr[data-name="san_SearchTerm"]');
      await page.waitForSelector('#d-version:has-text("version 4")');
      await expect.poll(() => page.locator('#history li').count()).toBe(4);
      // Traffic brings a label nobody documented while the page is open.
      const ingest = await trackedWriter(topics.tracked);
      await ingest.put(
        'san_SearchFreshness',
        trackedLabel('san_SearchFreshness', new Date().toISOString(), 42),
      );
      await page.waitForSelector('#results tr.fresh[data-name="san_SearchFreshness"]');
      await page.screenshot({ path: join(dir, 'documentor.png'), fullPage: false });
    }
  });

  it('a new undocumented label in traffic shows up live: highlighted in the list, listed as new, counted in its group', async () => {
    const topics = freshTopics('ui-live');
    const documentor = await startDocumentor(topics, 'doc-ui-live');
    await documentor.app.listen({ port: 0, host: '127.0.0.1' });
    const address = documentor.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const put = await fetch(`${base}/labels/san_SearchTerm`, {
      method: 'PUT',
      headers: { ...AS.alice, 'content-type': 'application/json' },
      body: JSON.stringify(input({ description: 'What the visitor typed into the search box' })),
    });
    expect(put.status).toBe(201);
    // Documented, but traffic has never shown it: stale.
    const unseen = await fetch(`${base}/labels/san_ResultCount`, {
      method: 'PUT',
      headers: { ...AS.alice, 'content-type': 'application/json' },
      body: JSON.stringify(input({ description: 'Number of search results shown' })),
    });
    expect(unseen.status).toBe(201);
    // metadata-ingest, played by a real kv-store on the real tracked topic, has seen the documented label.
    const ingest = await trackedWriter(topics.tracked);
    const now = new Date().toISOString();
    await ingest.put('san_SearchTerm', trackedLabel('san_SearchTerm', now, 500));

    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.fill('#token', 'r-token');
    await page.click('#token-form button');
    const group = page.locator('#groups tr[data-group="san"]');
    await group.waitFor();
    await page.waitForSelector('#live.on');
    await expect.poll(() => group.locator('td').allTextContents()).toEqual(['san', '2/2', '100%', '0', '1']);
    expect(await page.locator('#results tr[data-name="san_FreshFilter"]').count()).toBe(0);

    // Traffic brings a label nobody documented: the open page shows it without a reload.
    await ingest.put('san_FreshFilter', trackedLabel('san_FreshFilter', now, 3));
    await page.waitForSelector('#fresh li[data-name="san_FreshFilter"]', { timeout: 30_000 });
    await page.waitForSelector('#results tr.fresh[data-name="san_FreshFilter"]', { timeout: 30_000 });
    expect(await page.locator('#results tr[data-name="san_FreshFilter"]').textContent()).toContain(
      'new in traffic',
    );
    await expect
      .poll(() => group.locator('td').allTextContents(), { timeout: 30_000 })
      .toEqual(['san', '2/3', '50%', '1', '1']);
    expect(await page.locator('#fresh-count').textContent()).toBe('1');

    // A click on the group's undocumented count lists exactly its to-do list.
    await group.locator('td.undoc').click();
    await expect
      .poll(() => page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name'))))
      .toEqual(['san_FreshFilter']);

    // Someone documents it: it leaves the "new in traffic" list and the coverage is whole again.
    const documented = await fetch(`${base}/labels/san_FreshFilter`, {
      method: 'PUT',
      headers: { ...AS.alice, 'content-type': 'application/json' },
      body: JSON.stringify(input({ description: 'Which search filter the visitor chose' })),
    });
    expect(documented.status).toBe(201);
    await page.waitForSelector('#fresh-box', { state: 'hidden', timeout: 30_000 });
    await expect
      .poll(() => group.locator('td').allTextContents(), { timeout: 30_000 })
      .toEqual(['san', '3/3', '100%', '0', '1']);

    // A click on the stale count lists the documented labels traffic has not shown for 30 days.
    await group.locator('td.stale').click();
    await expect
      .poll(() => page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.getAttribute('data-name'))))
      .toEqual(['san_ResultCount']);
    expect(errors).toEqual([]);
  });

  it('a burst of 1,400 first-time labels (traffic starting) reaches the open page without a refresh per label', async () => {
    const topics = freshTopics('ui-burst');
    const documentor = await startDocumentor(topics, 'doc-ui-burst');
    await documentor.app.listen({ port: 0, host: '127.0.0.1' });
    const address = documentor.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const ingest = await trackedWriter(topics.tracked);
    await ingest.put('san_SearchTerm', trackedLabel('san_SearchTerm', new Date().toISOString()));

    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let groupRequests = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/groups') groupRequests++;
    });
    await page.goto(base);
    await page.fill('#token', 'r-token');
    await page.click('#token-form button');
    await page.waitForSelector('#groups tr[data-group="san"]');
    await page.waitForSelector('#live.on');
    const before = groupRequests;

    const now = new Date().toISOString();
    const names = Array.from({ length: 1_400 }, (_, i) => `san_Burst${String(i).padStart(4, '0')}`);
    await Promise.all(names.map((n) => ingest.put(n, trackedLabel(n, now, 1))));

    await page.waitForSelector('#fresh-count:text-is("1400")', { timeout: 60_000 });
    await expect
      .poll(() => page.locator('#groups tr[data-group="san"] td').allTextContents(), { timeout: 60_000 })
      .toEqual(['san', '0/1401', '0%', '1401', '0']);
    await page.waitForSelector('#count:text-is("1401 labels")', { timeout: 60_000 });
    // The list and coverage were refreshed a few times, not once per label (the page throttles to one
    // refresh per half second and the server sends one event per 250 ms).
    expect(groupRequests - before).toBeGreaterThan(0);
    expect(groupRequests - before).toBeLessThan(names.length / 4);
    expect(await page.locator('#fresh li').count()).toBe(20);
    expect(errors).toEqual([]);
  });
});
