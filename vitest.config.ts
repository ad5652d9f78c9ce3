import { defineConfig } from 'vitest/config';

// Integration tests share real daemons (pcscd, PostgreSQL, pty pairs), so test files run one at a time
// in forked processes: a native module that crashes takes down its own fork, not the whole run.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/setup/summary-reporter.ts'],
  },
});
