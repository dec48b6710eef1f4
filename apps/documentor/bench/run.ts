// `pnpm bench documentor [--duration 20] [--connections 10] [--puts 300] [--rounds 10]`
// Read path against a bare fastify route serving the same JSON, list by group over the demo catalog,
// and PUT latency against a direct kv-store put, a raw kafkajs send with acks=all and a bare fastify route doing
// that send (bench/writes.ts); all in one run, on the local broker.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '@labeldocs/app-kit';
import { fmt, markdownTable, percentile, writeReport } from '@labeldocs/bench';
import { createDocumentor, parseTokens, seed } from '@labeldocs/documentor';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { measureWrites } from './writes.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    puts: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '10' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const puts = Number(values.puts);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const run = `bench-documentor-${randomUUID().slice(0, 8)}`;
const topics = { labels: run, tracked: `${run}.tracked`, raw: `${run}.raw` };
const log = (line: string) => process.stdout.write(`${line}\n`);
const loadAtStart = loadavg()[0] ?? 0;
const auth = { authorization: 'Bearer bench-analyst' };

const documentor = await createDocumentor({
  brokers,
  labelsTopic: topics.labels,
  trackedTopic: topics.tracked,
  clientId: 'documentor-bench',
  tokens: parseTokens('bench:analyst:bench-analyst,ops:bench-ops', '').entries,
  logger: createLogger('documentor-bench', 'warn'),
});
const bare = Fastify({ logger: false });
// A second bare server for the write baseline, so its PUT route never shares a server with the read rows.
const bareWrites = Fastify({ logger: false });
const kafka = new Kafka({ clientId: 'documentor-bench-raw', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer();
try {
  await documentor.app.listen({ port: 0, host: '127.0.0.1' });
  await documentor.start();
  const port = (documentor.app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  log('seeding the demo catalog through POST /import');
  const seeded = await seed({ url: base, token: 'bench-ops', dryRun: false, log });
  const name = 'san_SearchTerm';

  // The baseline serves exactly the body documentor serves for this label.
  const sample = await (await fetch(`${base}/labels/${name}`, { headers: auth })).json();
  bare.get('/labels/:name', async () => sample);
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/labels/${name}`;

  // Both servers get the same requests (the bare route ignores the Authorization header), so the client and
  // the HTTP parsing do the same work on both sides.
  const cannon = async (label: string, url: string, headers: Record<string, string>, seconds = duration) => {
    log(`autocannon ${label}: ${seconds}s, ${connections} connections`);
    const r = await autocannon({ url, connections, duration: seconds, headers });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  };
  // The machine is shared: alternate bare and documentor in short rounds so both see the same background load.
  const rounds = Number(values.rounds);
  const bareRounds: Awaited<ReturnType<typeof cannon>>[] = [];
  const getRounds: Awaited<ReturnType<typeof cannon>>[] = [];
  for (let i = 0; i < rounds; i++) {
    bareRounds.push(await cannon('bare fastify', bareUrl, auth, duration / rounds));
    getRounds.push(await cannon('GET /labels/:name', `${base}/labels/${name}`, auth, duration / rounds));
  }
  const median = (runs: typeof bareRounds) => {
    const pick = (f: (r: (typeof runs)[number]) => number) => percentile(runs.map(f), 50);
    return {
      requests: { average: pick((r) => r.requests.average) },
      latency: { p50: pick((r) => r.latency.p50), p99: pick((r) => r.latency.p99) },
    };
  };
  const bareRun = median(bareRounds);
  const getRun = median(getRounds);
  const roundRatios = getRounds.map((g, i) => fmt(g.requests.average / bareRounds[i]!.requests.average, 2));
  const listSeconds = duration / 2;
  const groupRun = await cannon('GET /labels?group=san', `${base}/labels?group=san`, auth, listSeconds);
  const groupAllRun = await cannon(
    'GET /labels?group=san&limit=500',
    `${base}/labels?group=san&limit=500`,
    auth,
    listSeconds,
  );
  const searchRun = await cannon('GET /labels?q=search', `${base}/labels?q=search`, auth, listSeconds);

  const writeLines = await measureWrites({
    documentor,
    base,
    bare: bareWrites,
    auth,
    admin,
    producer,
    rawTopic: topics.raw,
    name,
    puts,
    log,
  });

  const rps = (r: { requests: { average: number } }) => r.requests.average;
  const readTable = markdownTable(
    ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'vs bare fastify (req/s)'],
    [
      [
        'bare fastify, same JSON',
        fmt(rps(bareRun), 0),
        fmt(bareRun.latency.p50),
        fmt(bareRun.latency.p99),
        '1.00×',
      ],
      [
        'GET /labels/:name',
        fmt(rps(getRun), 0),
        fmt(getRun.latency.p50),
        fmt(getRun.latency.p99),
        `${fmt(rps(getRun) / rps(bareRun), 2)}×`,
      ],
      [
        'GET /labels?group=san (50/page)',
        fmt(rps(groupRun), 0),
        fmt(groupRun.latency.p50),
        fmt(groupRun.latency.p99),
        '-',
      ],
      [
        'GET /labels?group=san&limit=500',
        fmt(rps(groupAllRun), 0),
        fmt(groupAllRun.latency.p50),
        fmt(groupAllRun.latency.p99),
        '-',
      ],
      [
        'GET /labels?q=search',
        fmt(rps(searchRun), 0),
        fmt(searchRun.latency.p50),
        fmt(searchRun.latency.p99),
        '-',
      ],
    ],
  );
  writeReport(
    'documentor',
    'documentor: API throughput and write latency',
    [
      `Catalog: the demo catalog's ${seeded.created} documented labels (1,400 labels in 25 groups), loaded through \`POST /import\`.`,
      `autocannon: ${connections} connections, ${duration / 2} s per list row, client in the same process as both servers (2 cores shared`,
      `with other work: 1-minute load average ${fmt(loadAtStart)} at start). The first two rows alternate in ${rounds} rounds of ${fmt(duration / rounds)} s; the table shows the median round.`,
      '',
      '## Reads',
      '',
      readTable,
      '',
      `Per-round ratios (documentor / bare, req/s): ${roundRatios.join(', ')}.`,
      '',
      'Goal: `GET /labels/:name` at least 0.8× the bare route. Both servers get the same request (with the',
      '`Authorization` header, which the bare route ignores). On top of the bare route, documentor hashes the bearer',
      'token (SHA-256) and looks the digest up, checks the role and readiness, looks the label up in kv-store,',
      'and records the request in the per-route Prometheus histogram and counter; the body and ETag are serialized',
      'once per stored record pair (the label record and its tracking record, matched by identity) and reused.',
      '',
      ...writeLines,
      '',
      'Goal: PUT p50 at most 1.5× a raw send. The PUT is one Produce, like the raw send: kv-store writes the label',
      "record and its change event (the audit trail) in one record batch to the label's partition, outside any",
      'transaction, applies it and resolves (docs/kv-store.md, "Change events"). What a PUT pays beyond the raw send',
      "is HTTP (the bare route rows: fastify alone, server side, and the round trip, client side) plus documentor's",
      "own work and kv-store's: hence the comparison with the bare route doing the raw send, on the same side.",
      '',
      `Run: \`pnpm bench documentor --duration ${duration} --connections ${connections} --puts ${puts} --rounds ${rounds}\`.`,
    ].join('\n'),
  );
} finally {
  await bare.close();
  await bareWrites.close();
  await producer.disconnect().catch(() => undefined);
  await documentor.close().catch(() => undefined);
  await admin.connect().catch(() => undefined);
  const existing = new Set(await admin.listTopics());
  const mine = [...Object.values(topics), `${run}.commands`, `${run}.replies`].filter((t) => existing.has(t));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
}
