import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suite in four projects, sorted by glob so a new file lands in the right one by where it lives and how
 * it is named:
 * - unit: test/unit, files in parallel;
 * - integration: test/integration, in parallel, sharing one PostgreSQL cluster (a database per test);
 * - e2e: test/e2e, in parallel, sharing one Chromium (a context per file) and one renderer build;
 * - serial: any `*.serial.test.ts`, one file at a time after the rest, for tests that hold something only one
 *   process on the machine may hold (pcscd's fixed IPC directory and vpcd's fixed ports).
 * Every file runs in a forked process of its own: a native module that crashes takes down its own fork only.
 */
const SERIAL = '**/*.serial.test.ts';
const exclude = [...configDefaults.exclude, SERIAL];
const setupFiles = ['test/setup/fast-check.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    // vitest would take one worker fewer than the cores; two files at a time keep both cores busy, since
    // integration files spend much of their time waiting on daemons and sockets.
    maxWorkers: 2,
    minWorkers: 1,
    // A hang guard, not a speed check (timings are measured in test/bench): two files share two cores, and a
    // test that spawns processes and writes thousands of operations can take tens of seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude, setupFiles } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude,
          setupFiles,
          globalSetup: ['test/setup/postgres.global.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude,
          setupFiles,
          globalSetup: ['test/setup/browser.global.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: [`test/${SERIAL}`],
          setupFiles,
          globalSetup: ['test/setup/postgres.global.ts', 'test/setup/browser.global.ts'],
          env: { POS_TEST_SERIAL: '1' },
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
