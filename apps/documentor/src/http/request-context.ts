import type { FastifyRequest } from 'fastify';
import { type Principal, type Role, requireRole } from '../auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are public (health, metrics, UI shell, docs). */
    role?: Role;
  }
}

/** The authenticated caller; the auth hook sets it before any route with a role runs. */
export function principalOf(request: FastifyRequest, needed: Role = 'reader'): Principal {
  const principal = request.principal;
  if (principal === undefined) throw new Error('bug: route without a role asked for a principal');
  requireRole(principal, needed);
  return principal;
}
