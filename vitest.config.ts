import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB and Chromium are heavy; two cores here.
    fileParallelism: true,
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
