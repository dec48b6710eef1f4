import { buildOpsServer, createRegistry } from '@labeldocs/app-kit';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface AppOptions {
  /** Reports why the app is not ready yet; undefined when ready. */
  notReadyReason?: () => string | undefined;
  /** The registry the publisher's metrics live on (a fresh one by default). */
  registry?: Registry;
}

/** public-publisher: the HTTP face (health and metrics), separate from server.ts so tests can inject. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const registry = options.registry ?? createRegistry('public-publisher');
  return buildOpsServer({ registry, notReadyReason: options.notReadyReason ?? (() => undefined) });
}
