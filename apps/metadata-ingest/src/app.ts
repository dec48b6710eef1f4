import { buildOpsServer, createRegistry } from '@labeldocs/app-kit';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface AppOptions {
  /** Reports why the app is not ready yet; undefined when ready. */
  notReadyReason?: () => string | undefined;
  /** The registry the worker's metrics live in; a fresh one when omitted. */
  registry?: Registry;
}

/** metadata-ingest: the HTTP face (health and metrics), separate from server.ts so tests can inject. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const registry = options.registry ?? createRegistry('metadata-ingest');
  return buildOpsServer({ registry, notReadyReason: options.notReadyReason ?? (() => undefined) });
}
