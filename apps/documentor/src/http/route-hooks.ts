import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { type Authenticator, requireRole } from '../auth.js';
import { DocNotReadyError } from '../errors.js';
import type { HttpMetrics, RouteMetrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's own onRequest hook; unset when no route matched (404). */
    routeMetrics?: RouteMetrics | undefined;
  }
}

export interface RouteHooksOptions {
  auth: Authenticator;
  metrics: HttpMetrics;
  /** Why the app cannot answer yet, or undefined once it is ready. */
  notReadyReason: () => string | undefined;
}

/**
 * Authentication, readiness and request metrics. Everything that depends only on the route (its role, its
 * metric series, whether it takes the token from the query string) is resolved once when the route is
 * registered and captured by a hook of that route: nothing is looked up per request (`request.routeOptions`
 * builds a fresh object on every access). The hooks take callbacks rather than returning promises.
 */
export function installRouteHooks(app: FastifyInstance, options: RouteHooksOptions): void {
  const { auth, metrics, notReadyReason } = options;
  const unmatched = metrics.forRoute('unmatched');
  app.decorateRequest('principal', undefined);
  app.decorateRequest('routeMetrics', undefined);

  app.addHook('onRoute', (route) => {
    const routeMetrics = metrics.forRoute(route.url);
    const role = route.config?.role;
    // Only the event stream takes the token from the query string (EventSource cannot set headers).
    const tokenInQuery = route.url === '/events';
    const hook: onRequestHookHandler = (req, _reply, done) => {
      req.routeMetrics = routeMetrics;
      if (role === undefined) return done();
      try {
        const queryToken = tokenInQuery
          ? (new URL(req.url, 'http://x').searchParams.get('access_token') ?? undefined)
          : undefined;
        req.principal = auth.authenticate(req.headers.authorization, queryToken);
        // Before the body is read: an analyst's 20 MB import is refused without parsing it.
        requireRole(req.principal, role);
        const reason = notReadyReason();
        if (reason !== undefined) throw new DocNotReadyError(`not ready: ${reason}`);
        done();
      } catch (error) {
        done(error as Error);
      }
    };
    const own = route.onRequest;
    route.onRequest = own === undefined ? [hook] : [hook, ...(Array.isArray(own) ? own : [own])];
  });

  app.addHook('onResponse', (req, reply, done) => {
    (req.routeMetrics ?? unmatched).observe(req.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
