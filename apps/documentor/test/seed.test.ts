import { describe, expect, it } from 'vitest';
import { demoItems, seed } from '../src/seed.js';
import { AS } from './support/app.js';
import { freshTopics, startDocumentor } from './support/kafka.js';

describe('seeding the demo catalog through the import endpoint (real broker)', () => {
  it('creates every documented demo label once; a second run leaves them alone', async () => {
    const documentor = await startDocumentor(freshTopics('seed'), 'doc-seed');
    await documentor.app.listen({ port: 0, host: '127.0.0.1' });
    const address = documentor.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const expected = demoItems().length;
    expect(expected).toBeGreaterThan(500);
    const lines: string[] = [];
    const first = await seed({ url, token: 'o-token', dryRun: false, log: (l) => lines.push(l) });
    expect(first).toEqual({ created: expected, alreadyPresent: 0, invalid: 0 });
    expect(documentor.labels.size).toBe(expected);
    const second = await seed({ url, token: 'o-token', dryRun: false, log: (l) => lines.push(l) });
    expect(second).toEqual({ created: 0, alreadyPresent: expected, invalid: 0 });
    const groups = (await (await fetch(`${url}/groups`, { headers: AS.reader })).json()) as {
      groups: Array<{ group: string; known: boolean; documented: number }>;
    };
    expect(groups.groups).toHaveLength(25);
    expect(groups.groups.every((g) => g.known && g.documented > 0)).toBe(true);
    await expect(seed({ url, token: 'r-token', dryRun: true, log: () => undefined })).rejects.toThrow(/403/);
  });
});
