import type { JobProgressInfo } from '../jobs.js';

const WIDTH = 30;

/** One status line: a bar when the total is known, counts always. */
export function progressLine(state: string, p: Partial<JobProgressInfo> | undefined): string {
  const records = p?.records ?? 0;
  const mb = ((p?.bytes ?? 0) / 1e6).toFixed(1);
  const counts = `${records.toLocaleString('en')} records, ${mb} MB`;
  if (p?.total === undefined || p.total === 0) return `${state.padEnd(9)} ${p?.phase ?? ''} ${counts}`;
  const ratio = Math.min(1, records / p.total);
  const filled = Math.round(ratio * WIDTH);
  return `${state.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${p.phase ?? ''} ${counts} of ${p.total.toLocaleString('en')}`;
}
