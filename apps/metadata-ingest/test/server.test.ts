import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freshTopics, waitFor } from './helpers.js';

describe('server (dist/server.js as a real process)', () => {
  it('reads its environment, becomes ready, serves metrics and shuts down cleanly on SIGTERM', async () => {
    const t = freshTopics();
    const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/server.js')], {
      env: {
        ...process.env,
        PORT: '0',
        IMPRESSIONS_TOPIC: t.impressions,
        AGGREGATES_TOPIC: t.aggregates,
        DLQ_TOPIC: t.dlq,
        TRACKED_LABELS_TOPIC: t.tracked,
        LABELS_TOPIC: t.labels,
        INGEST_GROUP_ID: t.group,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await waitFor('the listening line', () => /"url":"(http:[^"]+)"/.exec(output)?.[1]);
    expect(output).toContain('"COMMIT_INTERVAL_MS":30000');
    const ready = await waitFor(
      'ready',
      async () => (await fetch(`${url}/health/ready`)).status === 200,
      60_000,
    );
    expect(ready).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('metadata_ingest_impressions_total');
    expect(metrics).toContain('metadata_ingest_consumer_lag');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a bad environment, naming every bad variable', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/server.js')], {
      env: { ...process.env, PORT: 'eighty', COMMIT_INTERVAL_MS: '-5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PORT:/);
    expect(stderr).toMatch(/COMMIT_INTERVAL_MS:/);
  });
});
