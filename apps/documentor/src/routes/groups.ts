import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildEntries } from '../catalog/catalog-view.js';
import { groupCoverage } from '../catalog/groups.js';
import { parseQuery } from '../catalog/query.js';
import type { RouteContext } from './context.js';

const groupsQuery = z.strictObject({ staleDays: z.coerce.number().int().min(1).max(3650).default(30) });

/** `GET /groups`: label counts and documentation coverage per group. */
export function registerGroupRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/groups',
    {
      config: { role: 'reader' },
      schema: {
        tags: ['groups'],
        querystring: { type: 'object', properties: { staleDays: { type: 'integer', default: 30 } } },
      },
    },
    async (req) => {
      const { staleDays } = parseQuery(groupsQuery, req.query);
      const entries = buildEntries(ctx.labels, ctx.tracked);
      const groups = groupCoverage(entries, {
        trackingEnabled: ctx.tracked !== undefined,
        staleDays,
        now: ctx.now(),
        isKnownGroup: ctx.isKnownGroup,
      });
      return { staleDays, groups };
    },
  );
}
