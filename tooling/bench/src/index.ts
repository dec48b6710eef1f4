export { fmt, machineInfo, markdownTable, percentile, repoRoot, writeReport } from './report.ts';
