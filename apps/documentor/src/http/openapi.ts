import { labelInputSchema } from '@labeldocs/schemas';
import { z } from 'zod';

/** JSON Schemas for the OpenAPI document only: requests are validated by zod in the handlers. */
export const labelInputJson = z.toJSONSchema(labelInputSchema, { io: 'input', unrepresentable: 'any' });

export const nameParams = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Label name, `<group>_<Name>`', example: 'san_SearchTerm' },
  },
  required: ['name'],
} as const;

export const asOfQuery = {
  type: 'object',
  properties: { asOf: { type: 'string', format: 'date-time', description: 'Point in time (ISO-8601)' } },
} as const;

export const listQueryJson = {
  type: 'object',
  properties: {
    q: { type: 'string', description: 'Search in name and description' },
    group: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'active', 'deprecated', 'retired'] },
    owner: { type: 'string', description: 'Owner team (case-insensitive)' },
    documented: { type: 'string', enum: ['true', 'false'] },
    tracked: { type: 'string', enum: ['true', 'false'] },
    deprecatedBefore: { type: 'string', format: 'date' },
    staleDays: {
      type: 'integer',
      minimum: 1,
      maximum: 3650,
      description: 'Only documented labels not seen in traffic for this many days (or never)',
    },
    sort: {
      type: 'string',
      description: 'name, group, status, updatedAt, lastSeen; prefix - for descending',
    },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', description: 'nextCursor from the previous page' },
    asOf: { type: 'string', format: 'date-time', description: 'The catalog as it was at this moment' },
  },
} as const;

export const writeHeaders = {
  type: 'object',
  properties: {
    'if-match': { type: 'string', description: 'The version (ETag) you edited; stale gives 412' },
    'if-none-match': { type: 'string', description: '* to create only' },
    'x-change-reason': { type: 'string', description: 'Why (percent-encoded), recorded in history' },
  },
} as const;

export const deprecateJson = {
  type: 'object',
  additionalProperties: false,
  required: ['date'],
  properties: {
    date: { type: 'string', format: 'date' },
    replacement: { type: 'string' },
    reason: { type: 'string', maxLength: 2000 },
  },
} as const;
