import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The installed-package test is slow and needs the registry: `npm run test:pack`; the
    // 13-night run of the nightly job is `npm run test:nightly`; the fault tests (kill -9, full
    // disks, signals) are slow too: `npm run test:faults`.
    exclude: ['test/pack/**', 'test/slow/**', 'test/faults/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB and Chromium are heavy; two cores here.
    fileParallelism: true,
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
