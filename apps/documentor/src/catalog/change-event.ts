import type { WriteMeta } from '@labeldocs/kv-store';
import type { LabelChangeEvent, LabelRecord } from '@labeldocs/schemas';
import { canonical } from './label-content.js';

/** What kv-store hands the change-log encoder for every accepted write (one event, written atomically with it). */
export interface AcceptedWrite {
  key: string;
  previous: { value: LabelRecord } | LabelRecord | undefined;
  current: { value: LabelRecord } | LabelRecord | undefined;
  version: number;
  meta?: WriteMeta | undefined;
  timestamp: number;
}

// Bookkeeping fields change on every write; listing them would drown the real changes.
const SKIPPED = new Set(['updatedAt', 'updatedBy', 'createdAt', 'createdBy']);

const unwrap = (v: AcceptedWrite['current']): LabelRecord | undefined =>
  v === undefined ? undefined : 'value' in v && typeof v.value === 'object' ? v.value : (v as LabelRecord);

/** The change-log event for one accepted write: who, when, which fields went from what to what. */
export function toChangeEvent(write: AcceptedWrite): LabelChangeEvent {
  const before = unwrap(write.previous);
  const after = unwrap(write.current);
  const kind: LabelChangeEvent['kind'] =
    after === undefined
      ? 'deleted'
      : before === undefined
        ? 'created'
        : after.status === 'deprecated' && before.status !== 'deprecated'
          ? 'deprecated'
          : 'updated';
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: LabelChangeEvent['changes'] = [];
  for (const field of fields) {
    if (SKIPPED.has(field)) continue;
    const b = (before as Record<string, unknown> | undefined)?.[field];
    const a = (after as Record<string, unknown> | undefined)?.[field];
    if (canonical(b) !== canonical(a)) changes.push({ field, before: b ?? null, after: a ?? null });
  }
  const reason = write.meta?.reason;
  return {
    label: write.key,
    version: write.version,
    kind,
    actor: write.meta?.actor || 'unknown',
    at: new Date(write.timestamp).toISOString(),
    ...(reason ? { reason: reason.slice(0, 2_000) } : {}),
    changes: changes.slice(0, 100),
    after: after ?? null,
  };
}
