/**
 * Hosts on throw-away data directories in a chosen book mode, and a logged-in session on them. A live book is
 * the demo store's book marked live (as a store set up for real is), so the same cards and staff serve every
 * mode and only the mode differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, openLedger } from '../../db';
import { BOOK_MODE_SETTING, type BookMode } from '../../electron/host/book-mode';
import { createHost, type Host, type HostOptions, LEDGER_FILE } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';

export interface BookUnderTest {
  host: Host;
  dataDir: string;
  close(): Promise<void>;
}

/** Writes settings into a closed book before its host opens (a link to HQ, a mode, a policy). */
export function writeSettings(dataDir: string, settings: Record<string, unknown>): void {
  const book = openLedger({ path: join(dataDir, LEDGER_FILE), checkpointIntervalMs: 0 });
  try {
    for (const [key, value] of Object.entries(settings)) book.settings.set(key, value);
  } finally {
    book.close();
  }
}

/**
 * A host on a new data directory whose book is in `mode` (training is the separate training book); `settings` are written
 * into the book before the host under test opens it.
 */
export async function openBook(
  mode: BookMode,
  options: Omit<HostOptions, 'dataDir' | 'trainingMode'> & { settings?: Record<string, unknown> } = {},
): Promise<BookUnderTest> {
  const { settings, ...hostOptions } = options;
  const dataDir = mkdtempSync(join(tmpdir(), `pos-${mode}-`));
  await createHost({ dataDir }).close();
  writeSettings(dataDir, { ...(mode === 'live' ? { [BOOK_MODE_SETTING]: 'live' } : {}), ...settings });
  const host = createHost({ dataDir, trainingMode: mode === 'training', ...hostOptions });
  return {
    host,
    dataDir,
    close: async () => {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A session logged in as one of the demo staff. */
export async function sessionOf(host: Host, role: keyof typeof DEMO.staff): Promise<Session> {
  const session = new Session(`test-${role}`);
  const { code, pin } = DEMO.staff[role];
  const reply = await host.api.call(session, 'session.login', { staffNo: code, pin });
  if (!reply.ok) throw new Error(`login as ${role} failed: ${JSON.stringify(reply.error)}`);
  return session;
}
