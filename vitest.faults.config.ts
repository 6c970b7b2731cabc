// `npm run test:faults`: the slow fault tests (kill -9 at exact steps, full and read-only file
// systems, signals), which run the built CLI in child processes. Part of CI (.ci/run).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { TZ: 'UTC' },
  },
});
