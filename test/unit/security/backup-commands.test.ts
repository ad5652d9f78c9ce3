/**
 * Backups through the host's API, as the admin's screen uses them: one taken on demand with its progress
 * polled, listed, and restored into a fresh file that is verified before it replaces anything; the verified
 * book takes the place of the one in use at the next start. A damaged backup is refused and leaves nothing
 * pending.
 * Only an admin may do any of it. Real host, real files, random keys.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO } from '../../../db';
import { createHost, type Host, LEDGER_FILE } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { openShift } from '../../support/shift';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sessionOf(role: 'admin' | 'cashier'): Session {
  const staff = DEMO.staff[role];
  const session = new Session('test');
  session.logIn({ id: staff.id, staffNo: staff.code, name: staff.name, role });
  return session;
}

async function call(host: Host, session: Session, command: string, input: unknown = {}) {
  return host.api.call(session, command, input);
}

async function backupNow(host: Host, admin: Session): Promise<string> {
  expect(await call(host, admin, 'backups.run')).toMatchObject({ ok: true, value: { started: true } });
  for (let i = 0; i < 500; i += 1) {
    const status = await call(host, admin, 'backups.status');
    if (status.ok && !(status.value as { running: boolean }).running) {
      const value = status.value as { last: { ok: boolean; name: string } };
      expect(value.last.ok).toBe(true);
      return value.last.name;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the backup did not finish');
}

describe('backups from the admin screen', () => {
  it('takes, lists and restores a backup; the verified book replaces the one in use at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-backup-cmd-'));
    dirs.push(dataDir);
    const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);
    let host = createHost({ book: 'demo', dataDir, keyring });
    const admin = sessionOf('admin');
    try {
      expect(await call(host, sessionOf('cashier'), 'backups.run')).toMatchObject({
        ok: false,
        error: { code: 'COMMAND_FORBIDDEN' },
      });
      const name = await backupNow(host, admin);
      const status = await call(host, admin, 'backups.status');
      expect(status).toMatchObject({
        ok: true,
        value: { running: false, backups: [{ name }], restorePending: null },
      });

      // A sale after the backup: the restore will take the book back to before it.
      const later = ulid();
      await openShift(host);
      const topUp = await call(host, sessionOf('cashier'), 'wallet.topUp', {
        operationId: later,
        cardId: DEMO.cards.uid.id,
        amountFen: 100,
        tender: 'cash',
      });
      expect(topUp.ok).toBe(true);

      const restore = await call(host, admin, 'backups.restore', { name });
      expect(restore).toMatchObject({ ok: true, value: { verified: true, name, restartRequired: true } });
      // Nothing was replaced yet: the live book still has the later sale.
      expect(host.ledger.operation(later)).toBeDefined();
      expect(await call(host, admin, 'backups.status')).toMatchObject({
        ok: true,
        value: { restorePending: { name } },
      });
      const actions = host.ledger.sqlite
        .prepare<[], { action: string; outcome: string }>(
          "SELECT action, outcome FROM audit WHERE action LIKE 'backup.%' ORDER BY id",
        )
        .all();
      expect(actions).toEqual([
        { action: 'backup.take', outcome: 'ok' },
        { action: 'backup.restore', outcome: 'ok' },
      ]);
      await host.close();

      host = createHost({ book: 'demo', dataDir, keyring });
      expect(host.ledger.operation(later)).toBeUndefined();
      expect(host.ledger.checkInvariants()).toMatchObject({ ok: true });
      // The restored book carries the restore's own line, naming the backup.
      const restoredLines = host.ledger.sqlite
        .prepare<[], { details: string }>("SELECT details FROM audit WHERE action = 'backup.restored'")
        .all();
      expect(restoredLines.map((line) => JSON.parse(line.details))).toEqual([
        expect.objectContaining({ name, on: 'this terminal' }),
      ]);
      expect(host.ledger.verifyAuditChain()).toMatchObject({ ok: true });
      expect(readdirSync(dataDir).some((file) => file.startsWith(`${LEDGER_FILE}.before-restore-`))).toBe(
        true,
      );
      expect(await call(host, admin, 'backups.status')).toMatchObject({
        ok: true,
        value: { restorePending: null },
      });
    } finally {
      await host.close();
    }
  });

  it('refuses a damaged backup and leaves nothing pending or half restored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-backup-cmd-'));
    dirs.push(dataDir);
    const host = createHost({
      book: 'demo',
      dataDir,
      keyring: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
    });
    const admin = sessionOf('admin');
    try {
      const name = await backupNow(host, admin);
      const path = join(dataDir, 'backups', name);
      const bytes = readFileSync(path);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256;
      writeFileSync(path, bytes);
      const restore = await call(host, admin, 'backups.restore', { name });
      expect(restore.ok).toBe(false);
      if (!restore.ok) expect(restore.error.code).toMatch(/^BACKUP_/);
      expect(existsSync(join(dataDir, `${LEDGER_FILE}.restored`))).toBe(false);
      expect(await call(host, admin, 'backups.status')).toMatchObject({
        ok: true,
        value: { restorePending: null },
      });
      expect(
        host.ledger.sqlite.prepare("SELECT outcome FROM audit WHERE action = 'backup.restore'").all(),
      ).toEqual([{ outcome: 'rejected' }]);
    } finally {
      await host.close();
    }
  });
});
