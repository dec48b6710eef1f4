// Write latency, one at a time, four kinds interleaved so they see the same background load:
// - PUT through the API (validation, preconditions, record building, kv-store put, response);
// - the same write as a direct kv-store put on the documentor's own store (what the app adds is the gap);
// - a raw kafkajs send with acks=all of the same record bytes to a plain topic;
// - a bare fastify PUT route that does that raw send, called like the API: the HTTP round trip with no
//   documentor in it, so the PUT's client-side latency has a baseline that pays for HTTP too.
import { fmt, markdownTable, percentile } from '@labeldocs/bench';
import type { createDocumentor } from '@labeldocs/documentor';
import { labelRecordCodec } from '@labeldocs/schemas';
import type { FastifyInstance } from 'fastify';
import type { Admin, Producer } from 'kafkajs';

interface WriteBench {
  documentor: Awaited<ReturnType<typeof createDocumentor>>;
  /** Documentor's base URL. */
  base: string;
  /** The bare fastify server, not yet listening; a PUT route is added to it. */
  bare: FastifyInstance;
  auth: Record<string, string>;
  admin: Admin;
  producer: Producer;
  rawTopic: string;
  name: string;
  puts: number;
  log: (line: string) => void;
}

export async function measureWrites(bench: WriteBench): Promise<string[]> {
  const { documentor, base, bare, auth, admin, producer, rawTopic, name, puts, log } = bench;
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: rawTopic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await producer.connect();
  const record = labelRecordCodec.encode(documentor.labels.get(name)!.value);
  bare.put('/raw/:name', async () => {
    await producer.send({ topic: rawTopic, acks: -1, messages: [{ key: name, value: record }] });
    return { ok: true };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/raw/${name}`;

  log(`${puts} sequential PUTs, direct kv-store puts, raw sends and bare-route sends, interleaved`);
  const putMs: number[] = [];
  const putServerMs: number[] = [];
  const storeMs: number[] = [];
  const rawMs: number[] = [];
  const bareMs: number[] = [];
  const bareServerMs: number[] = [];
  // Server side of each PUT: from the request reaching the HTTP server (before fastify sees it) until the
  // response is written. The client side adds the HTTP round trip (fetch, loopback, event-loop turns).
  // The same for the bare route, so the server-side PUT has a baseline that pays for fastify too.
  const timeServerSide = (server: FastifyInstance['server'], into: number[]) =>
    server.prependListener('request', (req, res) => {
      if (req.method !== 'PUT') return;
      const t = performance.now();
      res.once('finish', () => into.push(performance.now() - t));
    });
  timeServerSide(documentor.app.server, putServerMs);
  timeServerSide(bare.server, bareServerMs);
  let version = documentor.labels.get(name)!.version;
  const body = (i: number) =>
    JSON.stringify({
      description: `bench edit ${i}`,
      ownerTeam: 'search',
      valueType: { kind: 'string' },
      status: 'active',
    });
  const viaApi = async (i: number) => {
    const t = performance.now();
    const res = await fetch(`${base}/labels/${name}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${version}"` },
      body: body(i),
    });
    const answer = await res.text();
    putMs.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`PUT answered ${res.status}: ${answer}`);
    version = Number(JSON.parse(res.headers.get('etag') ?? '0'));
  };
  const direct = async (i: number) => {
    const current = documentor.labels.get(name)!.value;
    const next = { ...current, description: `bench direct ${i}`, updatedAt: new Date().toISOString() };
    const t = performance.now();
    const written = await documentor.labels.put(name, next, {
      expectedVersion: version,
      meta: { actor: 'bench' },
    });
    storeMs.push(performance.now() - t);
    version = written.version;
  };
  const raw = async () => {
    const t = performance.now();
    await producer.send({ topic: rawTopic, acks: -1, messages: [{ key: name, value: record }] });
    rawMs.push(performance.now() - t);
  };
  const viaBare = async (i: number) => {
    const t = performance.now();
    const res = await fetch(bareUrl, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${version}"` },
      body: body(i),
    });
    const answer = await res.text();
    bareMs.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`bare PUT answered ${res.status}: ${answer}`);
  };
  // The order rotates every step: a write that starts right after another one finished pays for the
  // consumers still settling from it, so a fixed order would favour whichever kind comes first.
  const kinds = [viaApi, direct, raw, viaBare];
  for (let i = 0; i < puts; i++)
    for (let k = 0; k < kinds.length; k++) await kinds[(i + k) % kinds.length]!(i);

  const p = (xs: number[], q: number) => percentile(xs, q);
  // Ratios to the kv-store put only for what contains one; the two baselines get '-'.
  const row = (label: string, xs: number[], vsStore: boolean, vsBare: string) => [
    label,
    xs.length,
    fmt(p(xs, 50), 2),
    fmt(p(xs, 99), 2),
    `${fmt(p(xs, 50) / p(rawMs, 50), 2)}×`,
    vsStore ? `${fmt(p(xs, 50) / p(storeMs, 50), 2)}×` : '-',
    vsBare,
  ];
  const table = markdownTable(
    [
      'write',
      'n',
      'p50 ms',
      'p99 ms',
      'p50 vs raw send',
      'p50 vs kv-store put',
      'p50 vs bare route + send (same side)',
    ],
    [
      row('raw kafkajs send, acks=all', rawMs, false, '-'),
      row('bare fastify PUT route doing that send, server side', bareServerMs, false, '1.00×'),
      row('bare fastify PUT route doing that send, client side', bareMs, false, '1.00×'),
      row('direct kv-store put (expectedVersion)', storeMs, true, '-'),
      row(
        'PUT /labels/:name, server side',
        putServerMs,
        true,
        `${fmt(p(putServerMs, 50) / p(bareServerMs, 50), 2)}×`,
      ),
      row(
        'PUT /labels/:name (If-Match), client side',
        putMs,
        true,
        `${fmt(p(putMs, 50) / p(bareMs, 50), 2)}×`,
      ),
    ],
  );
  return [
    '## Writes',
    '',
    table,
    '',
    'The four kinds of write alternate (one of each per step, the order rotating). "Server side" runs from the request',
    'reaching the HTTP server until the response is written; "client side" adds the HTTP round trip (fetch in the',
    "bench's process, loopback, event-loop turns in a process that also runs the kv-store consumers). The bare route",
    'gets the same headers and body as the PUT, ignores them, and answers after a raw send of the record bytes: it is',
    "the raw send plus HTTP, the baseline for the PUT's latency on the same side.",
    '',
    `Documentor's own share of a PUT, p50 minus the direct kv-store put's p50: ${fmt(p(putServerMs, 50) - p(storeMs, 50), 2)} ms`,
    'server side (token, body parsing, validation, preconditions, record building, response),',
    `${fmt(p(putMs, 50) - p(storeMs, 50), 2)} ms including the HTTP round trip.`,
  ];
}
