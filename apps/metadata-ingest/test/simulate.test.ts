import { createTestKafka, createTestTopic, testEnv } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseTrafficArgs, runTraffic } from '../src/index.js';

describe('traffic simulator', () => {
  it('parses the documented command line and names the flag that is wrong', () => {
    expect(
      parseTrafficArgs('traffic --rate 5000/s --labels 1400 --groups 25 --duration 60s'.split(' ')),
    ).toMatchObject({
      rate: 5000,
      labels: 1400,
      groups: 25,
      durationMs: 60_000,
      count: undefined,
    });
    expect(parseTrafficArgs(['traffic', '--duration', '0']).durationMs).toBe(0);
    expect(parseDuration('2m')).toBe(120_000);
    expect(() => parseTrafficArgs(['traffic', '--rate', 'fast'])).toThrow(/--rate: must be a number/);
    expect(() => parseTrafficArgs(['traffic', '--duration', 'soon'])).toThrow(/--duration:/);
    expect(() => parseTrafficArgs(['traffic', '--groups', '30', '--labels', '20'])).toThrow(
      /--groups: must not exceed/,
    );
    expect(() => parseTrafficArgs(['traffic', '--malformed-rate', '2'])).toThrow(/--malformed-rate:/);
    expect(() => parseTrafficArgs(['traffik'])).toThrow(/unknown command/);
    expect(() => parseTrafficArgs(['traffic', '--bogus', '1'])).toThrow(/bogus/);
  });

  it('stops at --count and at --duration, with malformed records among them', async () => {
    const topic = await createTestTopic('sim', { partitions: 2 });
    const base = { ...parseTrafficArgs(['traffic']), brokers: testEnv().kafkaBrokers, topic };
    const counted = await runTraffic({
      ...base,
      rate: 3_000,
      count: 600,
      durationMs: 0,
      malformedRate: 0.05,
    });
    expect(counted.sent).toBe(600);
    expect(counted.malformed).toBeGreaterThan(5);
    const timed = await runTraffic({ ...base, rate: 40, durationMs: 1_000 });
    expect(timed.sent).toBeGreaterThan(0);
    expect(timed.sent).toBeLessThanOrEqual(40);
    const admin = createTestKafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(600 + timed.sent);
  });

  it('stops when signalled, however long the duration', async () => {
    const topic = await createTestTopic('sim', { partitions: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const run = await runTraffic({
      ...parseTrafficArgs(['traffic', '--duration', '0', '--rate', '100/s']),
      brokers: testEnv().kafkaBrokers,
      topic,
      signal: controller.signal,
    });
    expect(run.sent).toBeLessThan(100);
  });
});
