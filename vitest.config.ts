import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/shared-notice.ts'],
    // Generous on purpose: tests wait on events and return as soon as they happen, so a deadline costs
    // nothing when all is well; on 2 cores shared by several suites a tight one fails tests that are right.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
