import { instantSchema, type TrackedLabel } from '@labeldocs/schemas';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { buildEntries, entryOf } from '../catalog/catalog-view.js';
import { checkName } from '../catalog/label-service.js';
import { listQuerySchema, parseQuery, queryEntries } from '../catalog/query.js';
import type { VersionedLabel } from '../catalog/types.js';
import { DocLabelNotFoundError, invalid } from '../errors.js';
import { LabelBodyCache } from '../http/label-body-cache.js';
import {
  asOfQuery,
  deprecateJson,
  labelInputJson,
  listQueryJson,
  nameParams,
  writeHeaders,
} from '../http/openapi.js';
import { etag, type RouteContext, writeContext } from './context.js';

const asOfSchema = z.strictObject({ asOf: instantSchema.optional() });
const reader = { role: 'reader' } as const;
const analyst = { role: 'analyst' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';

/** The label CRUD routes, history and point-in-time reads. */
export function registerLabelRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { service, labels, tracked, history } = ctx;
  const bodies = new LabelBodyCache();
  const view = (name: string, label: VersionedLabel, trackedLabel: TrackedLabel | undefined) => {
    const entry = entryOf(name, label, trackedLabel);
    return { name, group: entry.group, version: label.version, label: entry.label, tracking: entry.tracking };
  };
  // The current label's body is serialized once per (record version, tracking version) and reused.
  const sendLabel = (reply: FastifyReply, name: string, label: VersionedLabel, status = 200) => {
    const t = tracked?.get(name);
    const body = bodies.get(name, label, t) ?? bodies.set(name, label, t, view(name, label, t?.value));
    return reply.code(status).header('etag', body.etag).type(JSON_TYPE).send(body.json);
  };

  app.get(
    '/labels',
    { config: reader, schema: { tags: ['labels'], querystring: listQueryJson } },
    async (req) => {
      const q = parseQuery(listQuerySchema, req.query);
      // Staleness needs tracking data, which exists only for now: without it every label would look stale.
      if (q.staleDays !== undefined && (q.asOf !== undefined || tracked === undefined))
        throw invalid(
          'query.staleDays',
          q.asOf === undefined
            ? 'needs tracking data (TRACKED_LABELS_TOPIC)'
            : 'cannot be combined with asOf',
        );
      const entries =
        q.asOf === undefined
          ? buildEntries(labels, tracked, q.group)
          : buildEntries(history.stateAt(Date.parse(q.asOf)), undefined, q.group);
      return { ...queryEntries(entries, q, ctx.now()), asOf: q.asOf ?? null };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/labels/:name',
    { config: reader, schema: { tags: ['labels'], params: nameParams, querystring: asOfQuery } },
    async (req, reply) => {
      // The hot path (no query string) skips schema parsing.
      const query = req.query as Record<string, unknown>;
      const { asOf } = Object.keys(query).length === 0 ? { asOf: undefined } : parseQuery(asOfSchema, query);
      if (asOf === undefined) {
        // A cache hit means the name was checked when the entry was built.
        const name = req.params.name;
        const hit = bodies.get(name, labels.get(name), tracked?.get(name));
        if (hit !== undefined) return reply.header('etag', hit.etag).type(JSON_TYPE).send(hit.json);
        return sendLabel(reply, name, service.get(name));
      }
      checkName(req.params.name);
      const past = history.stateAt(Date.parse(asOf)).get(req.params.name);
      if (past === undefined) throw new DocLabelNotFoundError(req.params.name);
      return reply
        .header('etag', etag(past.version))
        .send({ ...view(req.params.name, past, undefined), asOf });
    },
  );

  app.put<{ Params: { name: string } }>(
    '/labels/:name',
    {
      config: analyst,
      schema: { tags: ['labels'], params: nameParams, headers: writeHeaders, body: labelInputJson },
    },
    async (req, reply) => {
      const result = await service.put(req.params.name, req.body, writeContext(req));
      return sendLabel(reply, req.params.name, result.label, result.created ? 201 : 200);
    },
  );

  app.patch<{ Params: { name: string } }>(
    '/labels/:name',
    { config: analyst, schema: { tags: ['labels'], params: nameParams, headers: writeHeaders } },
    async (req, reply) => {
      const result = await service.patch(req.params.name, req.body, writeContext(req));
      return sendLabel(reply, req.params.name, result.label);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/labels/:name',
    { config: analyst, schema: { tags: ['labels'], params: nameParams, headers: writeHeaders } },
    async (req, reply) => {
      const version = await service.delete(req.params.name, writeContext(req));
      return reply.code(200).send({ name: req.params.name, deleted: true, version });
    },
  );

  app.post<{ Params: { name: string } }>(
    '/labels/:name/deprecate',
    {
      config: analyst,
      schema: { tags: ['labels'], params: nameParams, headers: writeHeaders, body: deprecateJson },
    },
    async (req, reply) => {
      const result = await service.deprecate(req.params.name, req.body, writeContext(req));
      return sendLabel(reply, req.params.name, result.label);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/labels/:name/history',
    { config: reader, schema: { tags: ['labels'], params: nameParams } },
    async (req) => {
      const name = req.params.name;
      checkName(name);
      const current = labels.get(name);
      // Read-your-writes: a write acknowledged a moment ago may still be on its way through the change log.
      const known = service.knownVersion(name);
      if (known > 0) await history.waitFor(name, known, 2_000);
      const events = history.eventsFor(name);
      if (events.length === 0 && current === undefined) throw new DocLabelNotFoundError(name);
      return { name, events };
    },
  );
}
