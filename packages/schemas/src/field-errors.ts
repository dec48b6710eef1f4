import type { z } from 'zod';

/** One problem with an input: where (`description`, `examples[2]`) and what was expected. */
export interface FieldError {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders a path like `deprecation.replacement`, `examples[2]` or `topicConfig["cleanup.policy"]` (keys that
 * are not identifiers, the empty key included, are quoted so the path stays unambiguous); `(root)` for [].
 */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p);
      if (!IDENTIFIER.test(key)) return `[${JSON.stringify(key)}]`;
      return i === 0 ? key : `.${key}`;
    })
    .join('');
}

function describeReceived(message: string): string | undefined {
  return /received (\w+)$/.exec(message)?.[1];
}

const UNITS: Record<string, string> = {
  string: ' characters',
  array: ' items',
  set: ' items',
  file: ' bytes',
};

/** zod's default size messages (`Too big: expected array to have <=5 items`) in the house style. */
function sizeMessage(
  code: 'too_big' | 'too_small',
  origin: string,
  limit: number,
  inclusive: boolean,
): string {
  const unit = UNITS[origin] ?? '';
  if (code === 'too_big')
    return inclusive ? `must be at most ${limit}${unit}` : `must be less than ${limit}${unit}`;
  return inclusive ? `must be at least ${limit}${unit}` : `must be greater than ${limit}${unit}`;
}

/**
 * Turns zod issues into field errors whose message says what was expected. Unknown keys become one
 * error per key (at the key's own path) so a client sees exactly which field to drop.
 */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({ path: formatPath([...issue.path, key]), message: 'is not a known field' });
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      const received = describeReceived(message);
      message =
        received === 'undefined'
          ? `is required (expected ${issue.expected})`
          : `must be ${issue.expected}${received === undefined ? '' : `, got ${received}`}`;
    } else if (issue.code === 'invalid_value') {
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (big|small)/.test(message)) {
      message = sizeMessage(
        issue.code,
        issue.origin,
        Number(issue.code === 'too_big' ? issue.maximum : issue.minimum),
        issue.inclusive !== false,
      );
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const options = (issue as { options?: unknown[] }).options ?? [];
      message = `must be one of ${options.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    errors.push({ path: formatPath(issue.path), message });
  }
  return errors;
}

/** One line per problem, `path: message`, e.g. `description: must be at most 10000 characters`. */
export function formatFieldErrors(errors: readonly FieldError[], separator = '\n'): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join(separator);
}
