import { defineConfig } from 'vitest/config';

// Tests run from sources only; cross-package imports resolve to src through the "source" condition.
export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'threads',
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
    testTimeout: 60_000,
  },
});
