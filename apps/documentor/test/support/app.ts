import type { LabelInput, TrackedLabel } from '@labeldocs/schemas';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { onTestFinished } from 'vitest';
import { type AppOptions, buildApp, parseTokens } from '../../src/index.js';
import { MemoryStore, memoryLabels } from './memory-store.js';

export const TOKENS = parseTokens(
  'reader:r-token,alice:analyst:a-token,bob:analyst:b-token,ops:o-token',
  '',
).entries;
export const AS = {
  reader: { authorization: 'Bearer r-token' },
  alice: { authorization: 'Bearer a-token' },
  bob: { authorization: 'Bearer b-token' },
  ops: { authorization: 'Bearer o-token' },
};

export const input = (overrides: Partial<LabelInput> = {}): Record<string, unknown> => ({
  description: 'The search term the visitor typed',
  ownerTeam: 'search',
  valueType: { kind: 'string' },
  status: 'active',
  ...overrides,
});

/** An app on in-memory stores (HTTP logic only), closed when the test ends. */
export async function memoryApp(overrides: Partial<AppOptions> = {}) {
  const { labels, history } = memoryLabels();
  const tracked = new MemoryStore<TrackedLabel>();
  const app = await buildApp({ labels, history, tracked, tokens: TOKENS, ...overrides });
  onTestFinished(() => app.close());
  const call = (opts: InjectOptions): Promise<LightMyRequestResponse> => app.inject(opts);
  return { app, labels, history, tracked, call };
}

export function trackedLabel(name: string, lastSeen: string, totalCount = 10): TrackedLabel {
  return {
    name,
    group: name.split('_')[0]!,
    nameValid: true,
    knownGroup: true,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen,
    dailyCounts: {},
    totalCount,
    valueTypes: ['string'],
    samples: [],
    pageTypes: [],
    sources: [],
    updatedAt: lastSeen,
  };
}

export type App = FastifyInstance;
