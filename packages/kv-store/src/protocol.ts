import type { IHeaders } from 'kafkajs';
import type { Op } from './decide.js';
import type { WriteMeta } from './types.js';

/** Record headers; the state topic carries only `kv-version`, `kv-request` and the write's meta. */
export const H = {
  op: 'kv-op',
  version: 'kv-version',
  request: 'kv-request',
  replyTo: 'kv-reply-to',
  expected: 'kv-expected',
  actor: 'kv-actor',
  reason: 'kv-reason',
} as const;

export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined || raw === null) return undefined;
  const one = Array.isArray(raw) ? raw[0] : raw;
  return one === undefined ? undefined : one.toString();
}

/** A `kv-version` header's number, or undefined when it is missing or not a positive integer. */
export function versionOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const version = Number(text);
  return Number.isSafeInteger(version) && version > 0 ? version : undefined;
}

export interface Command {
  op: Op;
  key: string;
  /** Codec-encoded value; null for a delete. */
  value: Buffer | null;
  requestId: string;
  replyTo: string;
  expectedVersion: number | undefined;
  meta: WriteMeta;
}

export function commandHeaders(c: Omit<Command, 'key' | 'value'>): IHeaders {
  const headers: IHeaders = { [H.op]: c.op, [H.request]: c.requestId, [H.replyTo]: c.replyTo };
  if (c.expectedVersion !== undefined) headers[H.expected] = String(c.expectedVersion);
  if (c.meta.actor !== undefined) headers[H.actor] = c.meta.actor;
  if (c.meta.reason !== undefined) headers[H.reason] = c.meta.reason;
  return headers;
}

export function parseCommand(
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders | undefined,
): Command | undefined {
  const op = header(headers, H.op);
  const requestId = header(headers, H.request);
  const replyTo = header(headers, H.replyTo);
  if (key === null || (op !== 'put' && op !== 'delete') || !requestId || replyTo === undefined)
    return undefined;
  if (op === 'put' && value === null) return undefined;
  const expected = header(headers, H.expected);
  const meta: WriteMeta = {};
  const actor = header(headers, H.actor);
  const reason = header(headers, H.reason);
  if (actor !== undefined) meta.actor = actor;
  if (reason !== undefined) meta.reason = reason;
  return {
    op,
    key: key.toString(),
    value: op === 'put' ? value : null,
    requestId,
    replyTo,
    expectedVersion: expected === undefined ? undefined : Number(expected),
    meta,
  };
}

export function stateHeaders(version: number, requestId: string, meta: WriteMeta): IHeaders {
  const headers: IHeaders = { [H.version]: String(version), [H.request]: requestId };
  if (meta.actor !== undefined) headers[H.actor] = meta.actor;
  if (meta.reason !== undefined) headers[H.reason] = meta.reason;
  return headers;
}

/** A writer's answer for a command that produced no state record. */
export interface Reply {
  requestId: string;
  replyTo: string;
  outcome: 'conflict' | 'noop' | 'invalid';
  currentVersion: number;
  /** Why an `invalid` command was refused. */
  reason?: string;
}

export function parseReply(value: Buffer | null): Reply | undefined {
  if (value === null) return undefined;
  try {
    const r = JSON.parse(value.toString('utf8')) as Reply;
    return typeof r.requestId === 'string' && typeof r.replyTo === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}
