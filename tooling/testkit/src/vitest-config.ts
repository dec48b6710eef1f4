import { defineConfig } from 'vitest/config';

/**
 * The one vitest configuration every package uses. Integration tests talk to the real local stack, so the
 * time-outs are generous; the JSON report feeds the summary line `./dev test` prints (and turbo caches it).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
