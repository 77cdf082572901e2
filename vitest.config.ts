import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One retry for a failed test: on this 2-core box a single-node KRaft broker, FerretDB and
    // two test workers compete, and kafkajs occasionally sees UNKNOWN_TOPIC_OR_PARTITION for a
    // topic created a moment earlier. A test that fails twice fails the run.
    retry: 1,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
