/**
 * A pcscd for tests. pcscd has one fixed IPC directory (/run/pcscd), so there is one daemon per machine:
 * `startPcscd()` reuses a running one, or starts its own and stops only that one in `stop()`. Repeated
 * calls in one process share the same instance; the daemon stops when the last user has stopped.
 * The daemon runs with --auto-exit, so one left behind by a killed test process goes away after 60 s
 * without clients; a test that needs it should therefore hold a PC/SC context (e.g. a running
 * ReaderManager) while it waits. vpcd's readers are "Virtual PCD 00 00" and "Virtual PCD 00 01".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const PID_FILE = '/run/pcscd/pcscd.pid';

export interface PcscdHandle {
  /** True when this process started the daemon (and so may restart and stop it). */
  readonly owned: boolean;
  /** Kills the daemon and starts it again (only for an owned daemon). */
  restart(): Promise<void>;
  /** Stops the daemon when it is ours and nobody else in this process still uses it. */
  stop(): Promise<void>;
}

let child: ChildProcess | undefined;
let users = 0;

function runningPid(): number | undefined {
  if (!existsSync(PID_FILE) || !existsSync(PCSCD_SOCKET)) return undefined;
  const pid = Number.parseInt(readFileSync(PID_FILE, 'utf8').trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function spawnDaemon(): Promise<void> {
  const daemon = spawn('pcscd', ['--foreground', '--auto-exit'], { stdio: 'ignore' });
  child = daemon;
  let failure: Error | undefined;
  daemon.once('error', (error) => {
    failure = new Error(`cannot start pcscd (install it with test/setup/prepare.sh): ${error.message}`);
  });
  daemon.once('exit', () => {
    if (child === daemon) child = undefined;
  });
  await waitFor(() => {
    if (failure) throw failure;
    if (daemon.exitCode !== null) throw new Error(`pcscd exited with code ${daemon.exitCode} at start-up`);
    return runningPid() === daemon.pid;
  }, 'pcscd to create its socket');
}

async function killDaemon(): Promise<void> {
  const daemon = child;
  if (!daemon || daemon.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  daemon.kill('SIGTERM');
  const forced = setTimeout(() => daemon.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
  await waitFor(() => !existsSync(PID_FILE), 'pcscd to remove its pid file', 5_000).catch(() => undefined);
}

/**
 * pcscd and vpcd exist once per machine, so a test file that drives them must run alone: in the suite
 * that is the `serial` project (files named `*.serial.test.ts`), which sets POS_TEST_SERIAL.
 */
function requireSerialFile(): void {
  if (process.env.VITEST && !process.env.POS_TEST_SERIAL)
    throw new Error('a test file that drives pcscd/vpcd must be named *.serial.test.ts (it runs alone)');
}

export async function startPcscd(): Promise<PcscdHandle> {
  requireSerialFile();
  if (!child && runningPid() === undefined) await spawnDaemon();
  users += 1;
  const owned = child !== undefined;
  let stopped = false;
  return {
    owned,
    async restart() {
      if (!owned) throw new Error('cannot restart a pcscd this process did not start');
      await killDaemon();
      await spawnDaemon();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      users -= 1;
      if (owned && users === 0) await killDaemon();
    },
  };
}

/** Kills an owned daemon without starting it again (to test life without pcscd). */
export async function killOwnedPcscd(): Promise<void> {
  if (!child) throw new Error('no pcscd started by this process');
  await killDaemon();
}

/** Starts the owned daemon again after `killOwnedPcscd()`. */
export async function respawnOwnedPcscd(): Promise<void> {
  if (child) return;
  await spawnDaemon();
}
