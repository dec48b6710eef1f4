import { buildOpsServer, createRegistry } from '@labeldocs/app-kit';
import type { FastifyInstance } from 'fastify';

export interface AppOptions {
  /** Reports why the app is not ready yet; undefined when ready. */
  notReadyReason?: () => string | undefined;
}

/** The documentor: the HTTP face (health and metrics), separate from server.ts so tests can inject. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const registry = createRegistry('documentor');
  return buildOpsServer({ registry, notReadyReason: options.notReadyReason ?? (() => undefined) });
}
