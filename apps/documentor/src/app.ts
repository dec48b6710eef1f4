import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createRegistry, registerOpsRoutes } from '@labeldocs/app-kit';
import { defaultGroupRegistry, type GroupRegistry } from '@labeldocs/schemas';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Authenticator, type TokenEntry } from './auth.js';
import { LabelService } from './catalog/label-service.js';
import type { LabelHistory, LabelStore, TrackedStore } from './catalog/types.js';
import { DocNotFoundError } from './errors.js';
import { mapError } from './http/error-mapping.js';
import { createHttpMetrics, registerGauge } from './http/metrics.js';
import { installRouteHooks } from './http/route-hooks.js';
import { historyCaughtUp } from './readiness.js';
import type { RouteContext } from './routes/context.js';
import { registerEventRoutes } from './routes/events.js';
import { registerGroupRoutes } from './routes/groups.js';
import { registerLabelRoutes } from './routes/labels.js';
import { registerTransferRoutes } from './routes/transfer.js';
import { registerUiRoutes } from './routes/ui.js';
import './http/request-context.js';

export interface AppOptions {
  /** The label records (kv-store on the labels topic). */
  labels: LabelStore;
  /** The change log, indexed (history and `asOf`). */
  history: LabelHistory;
  /** metadata-ingest's tracked labels, read only; omit to run without tracked/coverage data. */
  tracked?: TrackedStore | undefined;
  /** Hashed tokens with their roles (see `parseTokens`). */
  tokens: TokenEntry[];
  registry?: Registry;
  /** Logs 500s (always bugs) with their stack; other errors are the client's and are not logged. */
  logger?: Logger;
  /** Largest body on label routes, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Largest import body, bytes. Default 20 MiB. */
  importLimit?: number;
  /** Labels must belong to a group of this registry. Default: the schemas' built-in registry; null: any group. */
  groupRegistry?: GroupRegistry | null;
  now?: () => Date;
}

/** The documentor: API, OpenAPI at /docs, web UI at /, ops routes. Separate from server.ts so tests can inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    forceCloseConnections: true,
  });
  const registry = options.registry ?? createRegistry('documentor');
  const metrics = createHttpMetrics(registry);
  const auth = new Authenticator(options.tokens);
  const { labels, tracked, history } = options;
  const now = options.now ?? (() => new Date());
  const groupRegistry =
    options.groupRegistry === null ? undefined : (options.groupRegistry ?? defaultGroupRegistry);
  const historyReady = historyCaughtUp(labels, history);

  const notReadyReason = () =>
    !labels.isReady
      ? 'label store is still reading its topic'
      : tracked !== undefined && !tracked.isReady
        ? 'tracked-label store is still reading its topic'
        : !historyReady()
          ? 'change log is still being read'
          : undefined;
  registerGauge(registry, 'documentor_labels', 'Label records held', () =>
    labels.isReady ? labels.size : 0,
  );
  registerGauge(registry, 'documentor_ready', '1 when ready', () => (notReadyReason() === undefined ? 1 : 0));

  // Requests are validated by zod in the handlers (one error format); route schemas only feed OpenAPI.
  app.setValidatorCompiler(() => () => true);
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  installRouteHooks(app, { auth, metrics, notReadyReason });
  // No access log per request: rates, statuses and latencies are in /metrics, and an info line per request
  // would cost more than the request itself. A 500 (always a bug) is logged with its stack; client errors only
  // at debug, for when someone needs to see what was refused.
  app.setErrorHandler((error, req, reply) => {
    const mapped = mapError(error);
    // The path only: /events may carry ?access_token=.
    const path = req.url.split('?')[0];
    if (mapped.status >= 500 && mapped.retryAfter === undefined)
      options.logger?.error({ err: error, method: req.method, path }, 'request failed');
    else options.logger?.debug({ method: req.method, path, ...mapped.body.error }, 'request refused');
    if (mapped.retryAfter !== undefined) reply.header('retry-after', String(mapped.retryAfter));
    return reply.code(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const mapped = mapError(new DocNotFoundError(`no route ${req.method} ${req.url.split('?')[0]}`));
    return reply.code(mapped.status).send(mapped.body);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'labeldocs documentor', version: '0.1.0', description: 'Label documentation API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const ctx: RouteContext = {
    service: new LabelService(labels, now, groupRegistry),
    labels,
    tracked,
    history,
    metrics,
    now,
    isKnownGroup: (group) => (groupRegistry ?? defaultGroupRegistry).byName.has(group),
    groupRegistry,
    importLimit: options.importLimit ?? 20 * 1_048_576,
  };
  registerOpsRoutes(app, { registry, notReadyReason });
  registerLabelRoutes(app, ctx);
  registerGroupRoutes(app, ctx);
  registerTransferRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerUiRoutes(app);
  return app;
}
