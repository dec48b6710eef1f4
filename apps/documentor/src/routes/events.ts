import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { TrackedFeed } from '../catalog/tracked-feed.js';
import type { RouteContext } from './context.js';

/**
 * `GET /events`: server-sent events, one `label` event per change this instance applies from the topic, so
 * every open UI learns about edits made through any instance, and `tracked` events (batches, see
 * `TrackedFeed`) when traffic shows a new label or one seen again after a gap. EventSource cannot send
 * headers, so this route also accepts the token as `?access_token=`.
 */
export function registerEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const open = new Set<ServerResponse>();
  const feed = ctx.tracked === undefined ? undefined : new TrackedFeed(ctx.tracked, ctx.labels);
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.addHook('onClose', async () => feed?.close());

  app.get('/events', { config: { role: 'reader' }, schema: { tags: ['events'] } }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    open.add(res);
    const unsubscribe = ctx.labels.subscribe((change) => {
      const data = {
        name: change.key,
        version: change.version,
        deleted: change.current === undefined,
        updatedBy: change.current?.value.updatedBy ?? null,
        at: new Date(change.timestamp).toISOString(),
      };
      res.write(`event: label\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const unsubscribeTracked = feed?.subscribe((labels) => {
      res.write(`event: tracked\ndata: ${JSON.stringify({ labels })}\n\n`);
    });
    // Proxies drop idle streams; a comment line every 15 s keeps this one open.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeTracked?.();
      open.delete(res);
    };
    req.raw.on('close', cleanup);
    res.on('close', cleanup);
  });
}
