import { parseArgs } from 'node:util';
import { SimulateArgsInvalidError } from '../errors.js';

export interface TrafficArgs {
  /** Impressions per second. */
  rate: number;
  labels: number;
  groups: number;
  /** Milliseconds; 0 = until SIGINT/SIGTERM. */
  durationMs: number;
  /** Stop after this many records; undefined = no limit. */
  count: number | undefined;
  seed: number;
  labelsPerImpression: number;
  malformedRate: number;
  newLabelRate: number;
  topic: string | undefined;
}

export const USAGE = `usage: pnpm simulate traffic [--rate 200/s] [--labels 1400] [--groups 25] [--duration 60s|5m|0]
                        [--count N] [--seed 42] [--labels-per-impression 40] [--malformed-rate 0.0002]
                        [--new-label-rate 0.0005] [--topic labeldocs.impressions]
  --duration 0 runs until SIGINT/SIGTERM (the system launcher uses that); otherwise traffic stops by itself.`;

const fail = (flag: string, message: string, got: string): never => {
  throw new SimulateArgsInvalidError(`--${flag}: ${message}, got "${got}"`);
};

function positive(flag: string, raw: string, { integer = true, min = 1 } = {}): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min)
    fail(flag, `must be ${integer ? 'an integer' : 'a number'} >= ${min}`, raw);
  return n;
}

function probability(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) fail(flag, 'must be a probability between 0 and 1', raw);
  return n;
}

/** `60s`, `5m`, `1h`, `1500ms`, or a bare number of seconds; `0` = unlimited. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (m === null) return fail('duration', 'must look like 60s, 5m, 1h or 0 (until stopped)', raw);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

/** Parses `traffic --rate 5000/s ...`; throws INGEST_SIMULATE_ARGS_INVALID naming the flag. */
export function parseTrafficArgs(argv: string[]): TrafficArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rate: { type: 'string', default: '200/s' },
        labels: { type: 'string', default: '1400' },
        groups: { type: 'string', default: '25' },
        duration: { type: 'string', default: '60s' },
        count: { type: 'string' },
        seed: { type: 'string', default: '42' },
        'labels-per-impression': { type: 'string', default: '40' },
        'malformed-rate': { type: 'string', default: '0.0002' },
        'new-label-rate': { type: 'string', default: '0.0005' },
        topic: { type: 'string' },
      },
    });
  } catch (error) {
    throw new SimulateArgsInvalidError(`${(error as Error).message}\n${USAGE}`, { cause: error });
  }
  const [command] = parsed.positionals;
  if (command !== 'traffic')
    throw new SimulateArgsInvalidError(`unknown command "${command ?? ''}"\n${USAGE}`);
  const v = parsed.values as Record<string, string | undefined>;
  const rate = (v.rate ?? '').replace(/\/s$/, '');
  const labels = positive('labels', v.labels!);
  const groups = positive('groups', v.groups!);
  if (groups > labels) fail('groups', `must not exceed --labels (${labels})`, v.groups!);
  return {
    rate: positive('rate', rate, { integer: false, min: 0.1 }),
    labels,
    groups,
    durationMs: parseDuration(v.duration!),
    count: v.count === undefined ? undefined : positive('count', v.count),
    seed: positive('seed', v.seed!, { min: 0 }),
    labelsPerImpression: positive('labels-per-impression', v['labels-per-impression']!),
    malformedRate: probability('malformed-rate', v['malformed-rate']!),
    newLabelRate: probability('new-label-rate', v['new-label-rate']!),
    topic: v.topic,
  };
}
