import {
  type FieldError,
  type GroupRegistry,
  type LabelInput,
  parseLabelName,
  validateLabelInput,
} from '@labeldocs/schemas';
import { DocInvalidInputError } from '../errors.js';
import { contentOf, sameContent, toRecord } from './label-content.js';
import type { LabelStore } from './types.js';

export interface PlannedWrite {
  name: string;
  group: string;
  content: LabelInput;
  /** The version the write expects (0: create). */
  expected: number;
}

export interface ImportConflict {
  name: string;
  expectedVersion: number;
  currentVersion: number;
}

export interface ImportReport {
  dryRun: boolean;
  total: number;
  creates: string[];
  updates: string[];
  unchanged: string[];
  conflicts: ImportConflict[];
  invalid: FieldError[];
  applied: number;
}

export interface ImportPlan {
  writes: PlannedWrite[];
  report: ImportReport;
}

/**
 * Compares each item with the current catalog. An item's optional `version` is the version it was exported at:
 * if the label moved on since, the item is a conflict and is never written over the newer edit.
 */
export function planImport(
  items: unknown[],
  store: LabelStore,
  parseErrors: FieldError[],
  registry?: GroupRegistry,
): ImportPlan {
  const report: ImportReport = {
    dryRun: true,
    total: items.length,
    creates: [],
    updates: [],
    unchanged: [],
    conflicts: [],
    invalid: [...parseErrors],
    applied: 0,
  };
  const writes: PlannedWrite[] = [];
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const outcome = planOne(item, store, seen, registry);
    if ('problems' in outcome)
      for (const p of outcome.problems) report.invalid.push({ path: `[${i}]${p.path}`, message: p.message });
    else if ('conflict' in outcome) report.conflicts.push(outcome.conflict);
    else if ('unchanged' in outcome) report.unchanged.push(outcome.unchanged);
    else {
      (outcome.write.expected === 0 ? report.creates : report.updates).push(outcome.write.name);
      writes.push(outcome.write);
    }
  }
  return { writes, report };
}

type Outcome =
  | { problems: FieldError[] }
  | { conflict: ImportConflict }
  | { unchanged: string }
  | { write: PlannedWrite };

function planOne(item: unknown, store: LabelStore, seen: Set<string>, registry?: GroupRegistry): Outcome {
  const bad = (path: string, message: string): Outcome => ({ problems: [{ path, message }] });
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad('', 'must be an object');
  const { name, version, ...rest } = item as Record<string, unknown>;
  if (typeof name !== 'string') return bad('.name', 'must be a label name');
  const parsedName = parseLabelName(name);
  if (!parsedName.ok) return bad('.name', parsedName.reason);
  if (seen.has(name)) return bad('.name', `${name} appears more than once`);
  seen.add(name);
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 0))
    return bad('.version', 'must be a non-negative integer');
  const current = store.get(name);
  const parsed = validateLabelInput(rest, {
    name,
    previous: current?.value,
    ...(registry === undefined ? {} : { registry }),
  });
  if (!parsed.ok) return { problems: parsed.errors.map((f) => ({ path: `.${f.path}`, message: f.message })) };
  const currentVersion = current?.version ?? 0;
  if (version !== undefined && version !== currentVersion)
    return { conflict: { name, expectedVersion: version, currentVersion } };
  if (current !== undefined && sameContent(contentOf(current.value), parsed.value))
    return { unchanged: name };
  return { write: { name, group: parsedName.group, content: parsed.value, expected: currentVersion } };
}

/** Applies a plan with bounded parallelism; a label changed meanwhile becomes a conflict, not an overwrite. */
export async function applyImport(
  plan: ImportPlan,
  store: LabelStore,
  actor: string,
  now: () => Date,
  concurrency = 64,
): Promise<ImportReport> {
  if (plan.report.invalid.length > 0) throw new DocInvalidInputError(plan.report.invalid);
  const report = { ...plan.report, dryRun: false, conflicts: [...plan.report.conflicts] };
  let next = 0;
  const worker = async () => {
    while (next < plan.writes.length) {
      const w = plan.writes[next++]!;
      const previous = store.get(w.name)?.value;
      const record = toRecord(w.name, w.group, w.content, actor, now().toISOString(), previous);
      try {
        await store.put(w.name, record, { expectedVersion: w.expected, meta: { actor, reason: 'import' } });
        report.applied += 1;
      } catch (error) {
        const e = error as { code?: string; currentVersion?: number };
        if (e.code !== 'KV_CONFLICT') throw error;
        report.conflicts.push({
          name: w.name,
          expectedVersion: w.expected,
          currentVersion: e.currentVersion ?? -1,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.writes.length) }, worker));
  return report;
}
