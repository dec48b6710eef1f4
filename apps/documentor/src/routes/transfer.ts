import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { applyImport, planImport } from '../catalog/import.js';
import { parseQuery } from '../catalog/query.js';
import { csvToItems, exportCsv, exportItem } from '../catalog/transfer-format.js';
import { invalid } from '../errors.js';
import { principalOf } from '../http/request-context.js';
import type { RouteContext } from './context.js';

const exportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
const importQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('true'),
  format: z.enum(['json', 'csv']).optional(),
});

/** `GET /export` and `POST /import` (dry run unless `dryRun=false`; ops only). */
export function registerTransferRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/export',
    {
      config: { role: 'reader' },
      schema: {
        tags: ['import/export'],
        querystring: { type: 'object', properties: { format: { enum: ['json', 'csv'] } } },
      },
    },
    async (req, reply) => {
      const { format } = parseQuery(exportQuery, req.query);
      const items = [...ctx.labels.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, label]) => exportItem(name, label));
      const file = `labels-${ctx.now().toISOString().slice(0, 10)}.${format}`;
      reply.header('content-disposition', `attachment; filename="${file}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(exportCsv(items));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(items));
    },
  );

  app.post(
    '/import',
    {
      config: { role: 'ops' },
      bodyLimit: ctx.importLimit,
      schema: {
        tags: ['import/export'],
        description:
          'JSON array of {name, version?, ...label fields} or CSV as exported. Dry run by default.',
        querystring: {
          type: 'object',
          properties: {
            dryRun: { enum: ['true', 'false'], default: 'true' },
            format: { enum: ['json', 'csv'] },
          },
        },
      },
    },
    async (req) => {
      const principal = principalOf(req, 'ops');
      const q = parseQuery(importQuery, req.query);
      const isCsv = q.format === 'csv' || (q.format === undefined && typeof req.body === 'string');
      let items: unknown[];
      let errors: Array<{ path: string; message: string }> = [];
      if (isCsv) {
        if (typeof req.body !== 'string') throw invalid('(root)', 'send CSV with Content-Type: text/csv');
        ({ items, errors } = csvToItems(req.body));
      } else {
        const body = req.body as unknown;
        const list = Array.isArray(body) ? body : (body as { labels?: unknown } | null)?.labels;
        if (!Array.isArray(list))
          throw invalid('(root)', 'must be a JSON array of labels or {"labels": [...]}');
        items = list;
      }
      const plan = planImport(items, ctx.labels, errors, ctx.groupRegistry);
      if (q.dryRun === 'true') return plan.report;
      return applyImport(plan, ctx.labels, principal.actor, ctx.now);
    },
  );
}
