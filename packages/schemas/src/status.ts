import { SchemaStatusTransitionError } from './errors.js';
import type { LabelStatus } from './label-record.js';

/**
 * Where each status may go next (staying put is always allowed). `draft -> retired` abandons a label
 * that never went live; `deprecated -> active` un-deprecates. Retired is terminal: a retired name is
 * never reused, so consumers can trust that retired data stays retired.
 */
export const STATUS_TRANSITIONS: Readonly<Record<LabelStatus, readonly LabelStatus[]>> = {
  draft: ['active', 'retired'],
  active: ['deprecated'],
  deprecated: ['active', 'retired'],
  retired: [],
};

export function canTransition(from: LabelStatus, to: LabelStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

/** Why a transition is not allowed, or undefined when it is. */
export function transitionProblem(from: LabelStatus, to: LabelStatus): string | undefined {
  if (canTransition(from, to)) return undefined;
  const allowed = [from, ...STATUS_TRANSITIONS[from]].join(', ');
  return `cannot change from ${from} to ${to}; allowed from ${from}: ${allowed}`;
}

/** Throws SchemaStatusTransitionError when `from -> to` is not allowed. */
export function assertTransition(from: LabelStatus, to: LabelStatus): void {
  const problem = transitionProblem(from, to);
  if (problem !== undefined) throw new SchemaStatusTransitionError(from, to, problem);
}
