// `npm run test:nightly`: the slow end-to-end tests of test/slow/ alone (the shipped nightly job
// over 13 simulated nights), outside `npm test` but part of .ci/run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { TZ: 'UTC' },
  },
});
