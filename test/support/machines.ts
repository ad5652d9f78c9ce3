/**
 * Terminals as the launcher starts them on a data directory (their own key store, then the setup screen or
 * the book), driven through their API as the screens do, with a standalone store's first admin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openBrowserModeKeys } from '../../electron/host/keys';
import { Session } from '../../electron/host/session';
import { openTerminal, type Terminal } from '../../electron/host/setup/first-start';

export const FIRST_ADMIN = { name: '周店长', staffNo: '801', pin: '270514', pinAgain: '270514' };

/** The terminals started and not yet shut down, and the folders made; each test's end removes both. */
const runningMachines: Terminal[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const terminal of runningMachines.splice(0)) await terminal.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away folder under `parent` (default the temp dir), removed at the test's end. */
export function throwawayDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  folders.push(dir);
  return dir;
}

export async function startMachine(
  dir: string,
  extra: { now?: () => number; backupCheckMs?: number } = {},
): Promise<Terminal> {
  const keys = await openBrowserModeKeys(dir);
  const terminal = openTerminal({ dataDir: dir, keyring: keys.keyring, secrets: keys.secrets, ...extra });
  runningMachines.push(terminal);
  return terminal;
}

/** The machine switched off (and not again at the end of the test). */
export async function shutDown(terminal: Terminal): Promise<void> {
  runningMachines.splice(runningMachines.indexOf(terminal), 1);
  await terminal.close();
}

/** A command's value, or an error carrying the refusal's code. */
export async function call<T = unknown>(
  terminal: Terminal,
  session: Session,
  command: string,
  input: unknown = {},
): Promise<T> {
  const reply = await terminal.api.call(session, command, input);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as T;
}

export async function logInFirstAdmin(terminal: Terminal): Promise<Session> {
  const session = new Session('test');
  await call(terminal, session, 'session.login', { staffNo: FIRST_ADMIN.staffNo, pin: FIRST_ADMIN.pin });
  return session;
}

/** A standalone store set up on the terminal, its first admin logged in. */
export async function setUpStandalone(terminal: Terminal): Promise<Session> {
  await call(terminal, new Session('setup'), 'setup.standalone', {
    storeName: '老街面馆',
    timeZone: 'Asia/Shanghai',
    admin: FIRST_ADMIN,
  });
  return logInFirstAdmin(terminal);
}
