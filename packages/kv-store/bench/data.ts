// Realistic label records of about 500 bytes, valid under labelRecordCodec.
import type { LabelRecord } from '@labeldocs/schemas';

const words = 'search term entered basket value product id campaign source page name category visitor'.split(
  ' ',
);

export function labelName(i: number): string {
  return `g${String(i % 25).padStart(2, '0')}_Label${String(i).padStart(7, '0')}`;
}

export function labelRecord(i: number, revision = 0): LabelRecord {
  const name = labelName(i);
  const text = Array.from({ length: 26 }, (_, w) => words[(i + w) % words.length]).join(' ');
  return {
    name,
    group: name.slice(0, 3),
    description: `${text} (rev ${revision})`,
    ownerTeam: 'web-analytics',
    valueType: { kind: 'enum', values: ['yes', 'no', 'unknown'] },
    examples: ['example-one', 'example-two'],
    pii: { isPii: false, category: 'none' },
    tags: ['core', 'checkout'],
    status: 'active',
    createdBy: 'bench@labeldocs',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedBy: 'bench@labeldocs',
    updatedAt: '2026-11-25T10:00:00.000Z',
  };
}
