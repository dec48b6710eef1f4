import type { GroupRegistry } from '@labeldocs/schemas';
import type { FastifyRequest } from 'fastify';
import type { LabelService, WriteContext } from '../catalog/label-service.js';
import { parsePreconditions } from '../catalog/preconditions.js';
import type { LabelHistory, LabelStore, TrackedStore } from '../catalog/types.js';
import { invalid } from '../errors.js';
import type { HttpMetrics } from '../http/metrics.js';
import { principalOf } from '../http/request-context.js';

/** Everything a route needs; built once in buildApp. */
export interface RouteContext {
  service: LabelService;
  labels: LabelStore;
  tracked: TrackedStore | undefined;
  history: LabelHistory;
  metrics: HttpMetrics;
  now: () => Date;
  isKnownGroup: (group: string) => boolean;
  /** When set, labels must belong to a registered group. */
  groupRegistry: GroupRegistry | undefined;
  importLimit: number;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** The writer (analyst or better), their precondition headers and the optional `X-Change-Reason`. */
export function writeContext(request: FastifyRequest): WriteContext {
  const principal = principalOf(request, 'analyst');
  const reason = header(request, 'x-change-reason');
  if (reason !== undefined && reason.length > 2_000)
    throw invalid('headers.x-change-reason', 'must be at most 2000 characters');
  return {
    actor: principal.actor,
    precondition: parsePreconditions(header(request, 'if-match'), header(request, 'if-none-match')),
    reason: reason === undefined ? undefined : decodeURIComponentSafe(reason),
  };
}

// Browsers can only send ASCII headers, so the UI percent-encodes the reason.
function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const etag = (version: number) => `"${version}"`;
