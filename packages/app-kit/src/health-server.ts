import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface OpsRoutesOptions {
  /** Returns undefined when ready, or the reason it is not (served as 503 with Retry-After). */
  notReadyReason: () => string | undefined;
  registry: Registry;
}

/** `/health/live`, `/health/ready` and Prometheus `/metrics` on any fastify instance. */
export function registerOpsRoutes(app: FastifyInstance, opts: OpsRoutesOptions): void {
  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    const reason = opts.notReadyReason();
    if (reason === undefined) return { status: 'ready' };
    return reply.code(503).header('retry-after', '1').send({ status: 'not-ready', reason });
  });
  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', opts.registry.contentType).send(await opts.registry.metrics());
  });
}

/** A registry with Node's default process metrics, labelled with the app's name. */
export function createRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** A minimal fastify server with only the ops routes, for apps without an API of their own. */
export function buildOpsServer(opts: OpsRoutesOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, opts);
  return app;
}
