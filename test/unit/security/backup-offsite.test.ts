/**
 * Backups that survive losing the machine. A live store backs up on its plan's schedule (daily unless the
 * admin says otherwise) and keeps the days it was told to; every backup is copied to a folder on another disk
 * with the data keys escrowed beside it under a printed recovery code. The drill: a new machine (a new data
 * directory with keys of its own) restores the old one's newest backup from that folder with the code, and
 * the store goes on: the same admin PIN, the same member found by phone, the restore's own line in the book's
 * sealed audit chain. A wrong code, or a till of a chain, changes nothing. Real hosts, real files, real keys.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HQ_SETTING } from '../../../electron/host/enrolment/link';
import { Session } from '../../../electron/host/session';
import type { Terminal } from '../../../electron/host/setup/first-start';
import { writeSettings } from '../../support/books';
import {
  call,
  logInFirstAdmin,
  setUpStandalone,
  shutDown,
  startMachine,
  throwawayDir,
} from '../../support/machines';

/** A folder on another disk than the data: the tmpfs stands in for the USB disk an admin mounts. */
function usbDisk(): string {
  return throwawayDir('pos-usb-', '/dev/shm');
}

function dataDir(): string {
  return throwawayDir('pos-machine-');
}

const PHONE = '13912345678';

interface Status {
  running: boolean;
  last: { ok: boolean; name: string; offsite: { ok: boolean; code: string | null } | null } | null;
  backups: { name: string }[];
  nextDueAt: number | null;
  escrowIssued: boolean;
}

async function until(terminal: Terminal, admin: Session, done: (status: Status) => boolean): Promise<Status> {
  for (let i = 0; i < 1000; i += 1) {
    const status = await call<Status>(terminal, admin, 'backups.status');
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the backups never reached the state waited for');
}

describe('backups off the machine and a restore on a new one', () => {
  it('a new data directory restores the backup another machine copied to the USB disk, with the printed code', async () => {
    const usb = usbDisk();
    const old = await startMachine(dataDir());
    const admin = await setUpStandalone(old);
    await call(old, admin, 'members.register', {
      name: '李小梅',
      phone: PHONE,
      consent: { purpose: '会员服务', version: 'v1' },
    });
    await call(old, admin, 'backups.configure', { everyHours: 24, keepDays: 14, offsiteDir: usb });
    const { code } = await call<{ code: string }>(old, admin, 'backups.issueRecoveryCode');
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(await call(old, admin, 'backups.run')).toEqual({ started: true });
    const status = await until(old, admin, (s) => !s.running && s.last !== null);
    expect(status).toMatchObject({
      last: { ok: true, offsite: { ok: true, code: null } },
      escrowIssued: true,
    });
    const [folder] = readdirSync(usb);
    const copyDir = join(usb, folder!);
    expect(readdirSync(copyDir).sort()).toEqual(['keys.posescrow', status.last!.name]);
    await shutDown(old);

    // The old machine is gone. A new one starts with keys of its own and asks for setup.
    const newDir = dataDir();
    const fresh = await startMachine(newDir);
    const nobody = new Session('setup');
    await expect(
      call(fresh, nobody, 'setup.restore', { folder: copyDir, code: 'AAAA-BBBB-CCCC-DDDD-EEEE' }),
    ).rejects.toMatchObject({ code: 'RESTORE_CODE_WRONG' });
    expect(await call(fresh, nobody, 'setup.status')).toEqual({ needed: true });
    expect(readdirSync(newDir)).not.toContain('ledger.sqlite');

    // Typed as a person copies it from paper: lower case, spaces for dashes.
    const typed = code.toLowerCase().replaceAll('-', ' ');
    expect(await call(fresh, nobody, 'setup.restore', { folder: copyDir, code: typed })).toMatchObject({
      mode: 'live',
      storeName: '老街面馆',
    });
    const host = fresh.host()!;
    expect(host.ledger.verifyAuditChain()).toMatchObject({ ok: true });
    const restoredLine = host.ledger.sqlite
      .prepare<[], { details: string }>("SELECT details FROM audit WHERE action = 'backup.restored'")
      .all();
    expect(restoredLine).toHaveLength(1);
    expect(JSON.parse(restoredLine[0]!.details)).toMatchObject({
      name: status.last!.name,
      on: 'a new machine',
    });
    await shutDown(fresh);

    // Started again as the launcher would: the carried keys are this machine's now.
    const again = await startMachine(newDir);
    const back = await logInFirstAdmin(again);
    const found = await call<{ name: string }[]>(again, back, 'members.search', { text: PHONE, by: 'phone' });
    expect(found.map((member) => member.name)).toEqual(['李小梅']);
  });

  it('backs up on the schedule, keeps the days it was told, and copies each backup off the machine', async () => {
    const usb = usbDisk();
    let clock = Date.parse('2026-12-01T02:00:00Z');
    const terminal = await startMachine(dataDir(), { now: () => clock, backupCheckMs: 10 });
    const admin = await setUpStandalone(terminal);
    await call(terminal, admin, 'backups.configure', { everyHours: 6, keepDays: 1, offsiteDir: usb });
    await call(terminal, admin, 'backups.issueRecoveryCode');

    // No backup yet: the first one is due now, and the schedule takes it by itself.
    const first = await until(terminal, admin, (s) => s.backups.length === 1 && !s.running);
    expect(first.nextDueAt).toBe(clock + 6 * 3_600_000);
    clock += 5 * 3_600_000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await call<Status>(terminal, admin, 'backups.status')).backups).toHaveLength(1);
    clock += 3_600_000;
    await until(terminal, admin, (s) => s.backups.length === 2 && !s.running);

    // Two days later: the next backup, and the ones older than a day are gone here and on the disk.
    clock += 2 * 86_400_000;
    const kept = await until(
      terminal,
      admin,
      (s) => !s.running && s.backups.length === 1 && s.last?.name !== first.last?.name,
    );
    const copies = readdirSync(join(usb, readdirSync(usb)[0]!)).filter((name) => name.endsWith('.posbak'));
    expect(copies).toEqual([kept.backups[0]!.name]);
    const audit = terminal
      .host()!
      .ledger.sqlite.prepare<[], { details: string }>(
        "SELECT details FROM audit WHERE action = 'backup.take'",
      )
      .all()
      .map((row) => JSON.parse(row.details) as { trigger: string });
    expect(audit.map((line) => line.trigger)).toEqual(['schedule', 'schedule', 'schedule']);
  });

  it('refuses a copy folder on the terminal’s own disk, in words', async () => {
    const dir = dataDir();
    const terminal = await startMachine(dir);
    const admin = await setUpStandalone(terminal);
    await expect(
      call(terminal, admin, 'backups.configure', { everyHours: 24, keepDays: 14, offsiteDir: dir }),
    ).rejects.toMatchObject({ code: 'BACKUP_OFFSITE_SAME_DISK' });
    await expect(
      call(terminal, admin, 'backups.configure', {
        everyHours: 24,
        keepDays: 14,
        offsiteDir: '/nonexistent/usb',
      }),
    ).rejects.toMatchObject({ code: 'BACKUP_OFFSITE_UNREACHABLE' });
  });

  it('never restores a till of a chain from its own backup, on the Backups screen or on a new machine', async () => {
    const usb = usbDisk();
    const dir = dataDir();
    let terminal = await startMachine(dir);
    let admin = await setUpStandalone(terminal);
    await call(terminal, admin, 'backups.configure', { everyHours: 24, keepDays: 14, offsiteDir: usb });
    const { code } = await call<{ code: string }>(terminal, admin, 'backups.issueRecoveryCode');
    await shutDown(terminal);
    // The store joined a chain since (the link is what sync starts from; HQ is not reachable here).
    writeSettings(dir, {
      [HQ_SETTING]: {
        url: 'http://127.0.0.1:9',
        terminalId: 'S01-T1',
        terminalName: '1号机',
        storeId: 'S01',
        localStoreId: 'S01',
        publicKey: 'x',
        cardKeyFingerprint: 'x',
        enrolledAt: 1,
      },
    });
    terminal = await startMachine(dir);
    admin = await logInFirstAdmin(terminal);
    await call(terminal, admin, 'backups.run');
    const status = await until(terminal, admin, (s) => !s.running && s.last !== null);
    await expect(call(terminal, admin, 'backups.restore', { name: status.last!.name })).rejects.toMatchObject(
      { code: 'RESTORE_TILL_ENROLLED' },
    );
    expect(await call(terminal, admin, 'backups.status')).toMatchObject({ restorePending: null });
    await shutDown(terminal);

    const copyDir = join(usb, readdirSync(usb)[0]!);
    const fresh = await startMachine(dataDir());
    const restore = fresh.api.call(new Session('setup'), 'setup.restore', { folder: copyDir, code });
    expect(await restore).toMatchObject({ ok: false, error: { code: 'RESTORE_TILL_ENROLLED' } });
    expect(fresh.host()).toBeNull();
  });
});
