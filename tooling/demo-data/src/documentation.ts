import type { LabelRecord, ValueType } from '@labeldocs/schemas';
import type { DemoCatalog, DemoLabel } from './catalog.js';
import { createRng } from './rng.js';
import { generateValue, type ValueSpec } from './values.js';

export interface DemoRecordOptions {
  /** When the records claim to have been written. Default 2026-01-05T09:00:00.000Z (stable output). */
  at?: string;
  actor?: string;
}

function valueTypeOf(spec: ValueSpec): ValueType {
  switch (spec.kind) {
    case 'enum':
      return { kind: 'enum', values: [...spec.values] };
    case 'list':
      return { kind: 'list', of: 'string' };
    default:
      return { kind: spec.kind };
  }
}

function describe(label: DemoLabel, title: string): string {
  const base = label.name.slice(label.group.length + 1).replace(/([a-z])([A-Z])/g, '$1 $2');
  return `${base} (${title.toLowerCase()}). Sent by the tracking script on ${label.pageTypes.join(', ')} pages.`;
}

/**
 * Documentation records for the catalog's documented and deprecated labels (undocumented ones are left
 * out on purpose, so coverage has gaps to show). Deprecated labels name a replacement in their group.
 */
export function demoLabelRecords(catalog: DemoCatalog, options: DemoRecordOptions = {}): LabelRecord[] {
  const at = options.at ?? '2026-01-05T09:00:00.000Z';
  const actor = options.actor ?? 'demo-seed';
  const rng = createRng(catalog.seed + 7);
  const titles = new Map(catalog.groups.map((g) => [g.prefix, g.title]));
  return catalog.labels
    .filter((l) => l.documentation !== 'undocumented')
    .map((label) => {
      const sameGroup = catalog.labels.filter(
        (l) => l.group === label.group && l.documentation === 'documented',
      );
      const replacement = sameGroup.length > 0 ? rng.pick(sameGroup).name : undefined;
      const examples = label.pii.isPii
        ? []
        : Array.from({ length: 2 }, () => JSON.stringify(generateValue(label.value, rng)).slice(0, 500));
      return {
        name: label.name,
        group: label.group,
        description: describe(label, titles.get(label.group) ?? label.group),
        ownerTeam: label.ownerTeam,
        valueType: valueTypeOf(label.value),
        examples,
        pii: label.pii,
        tags: [label.group, ...(label.everyImpression ? ['core'] : [])],
        status: label.documentation === 'deprecated' ? 'deprecated' : 'active',
        startOfUse: '2025-03-01',
        ...(label.documentation === 'deprecated'
          ? {
              deprecation: {
                date: '2026-06-30',
                ...(replacement === undefined ? {} : { replacement }),
                reason: 'Superseded by a consolidated label.',
              },
            }
          : {}),
        createdBy: actor,
        createdAt: at,
        updatedBy: actor,
        updatedAt: at,
      } satisfies LabelRecord;
    });
}
