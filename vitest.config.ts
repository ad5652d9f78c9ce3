import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suite in six projects, sorted by glob so a new file lands in the right one by where it lives and how
 * it is named:
 * - unit: test/unit;
 * - integration: test/integration, sharing one PostgreSQL cluster (a database per test);
 * - faults: the integration files named `*-faults.test.ts`, which inject faults (HQ down or killed mid-batch,
 *   a till killed mid-send, a full or read-only disk) and mostly wait on the processes they start and kill;
 * - e2e: test/e2e, sharing one Chromium (a context per file) and one renderer build;
 * - serial: any `*.serial.test.ts`, one file at a time, for tests that hold something only one process on the
 *   machine may hold (pcscd's fixed IPC directory and vpcd's fixed ports);
 * - keys: any `*.keys.test.ts`, key timing in Chromium: typed ahead of the clock (test/support/cdp-keys.ts),
 *   they spend most of their time waiting for the page's timers to settle.
 * Files run in forked processes, not threads: pcsclite's native module aborts in a worker thread.
 * `npm test` (test/setup/run-suite.sh) runs unit, integration, faults, e2e, and keys then serial as five
 * vitest processes side by side; plain `vitest run` runs them all in one process, two files at a time, serial last.
 */
const SERIAL = '**/*.serial.test.ts';
const KEYS = '**/*.keys.test.ts';
const FAULTS = 'test/integration/**/*-faults.test.ts';
const exclude = [...configDefaults.exclude, SERIAL, KEYS];
const setupFiles = ['test/setup/fast-check.ts', 'test/setup/event-loop.ts'];
// Only the serial project talks to the machine's pcscd. Every other file's hosts look for it at a socket that
// does not exist, as on a terminal without pcscd, so that a card a serial test taps, or pcscd restarted by one,
// never reaches a host that another file started at the same time (`npm test` runs the projects side by side).
const withoutPcscd = { PCSCLITE_CSOCK_NAME: '/nonexistent/pcscd.comm' };
const oneFork = { forks: { singleFork: true } };

export default defineConfig({
  test: {
    pool: 'forks',
    // vitest would take one worker fewer than the cores; two files at a time keep both cores busy, since
    // integration files spend much of their time waiting on daemons and sockets.
    maxWorkers: 2,
    minWorkers: 1,
    // `--expose-gc`: the leak checks collect garbage before they weigh the heap.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    // A hang guard, not a speed check (timings are measured in test/bench): files share two cores, and a
    // test that spawns processes and writes thousands of operations can take tens of seconds on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude, setupFiles, env: withoutPcscd },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...exclude, FAULTS],
          setupFiles,
          env: withoutPcscd,
          globalSetup: ['test/setup/postgres.global.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: [FAULTS],
          exclude,
          setupFiles,
          env: withoutPcscd,
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
          env: withoutPcscd,
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
          poolOptions: oneFork,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'keys',
          include: [`test/${KEYS}`],
          setupFiles,
          env: withoutPcscd,
          globalSetup: ['test/setup/browser.global.ts'],
          poolOptions: oneFork,
        },
      },
    ],
  },
});
