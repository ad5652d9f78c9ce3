/**
 * Lockout cannot be used as a weapon, and the store always has a way back in: wrong PINs typed into an
 * approval box pause that person's approvals for a while (longer each round) and say how many tries remain,
 * but never lock their login; a manager at the login screen unlocks a locked-out cashier; the only admin,
 * locked out, gets back in with the store's one-time recovery code, which is kept only as a hash. Real host
 * on a throw-away ledger, with a clock the test moves.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

let dataDir: string;
let host: Host;
let clock = Date.UTC(2026, 2, 2, 2, 0, 0);

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-lockout-'));
  host = createHost({ book: 'demo', dataDir, now: () => clock });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(staffNo: string, pin: string) {
  const session = new Session('test');
  const reply = await host.api.call(session, 'session.login', { staffNo, pin });
  return { session, reply };
}

const manager = DEMO.staff.manager;
const cashier = DEMO.staff.cashier;
const admin = DEMO.staff.admin;

/** The cashier's last charge, which the void dialog asks the manager to approve undoing. */
let target = '';

async function charge(session: Session) {
  target = ulid();
  const reply = await host.api.call(session, 'wallet.charge', {
    operationId: target,
    cardId: DEMO.cards.uid.id,
    amountFen: 100,
  });
  expect(reply.ok).toBe(true);
}

function voidWith(session: Session, pin: string) {
  return host.api.call(session, 'wallet.void', {
    operationId: ulid(),
    cardId: DEMO.cards.uid.id,
    targetOperationId: target,
    approver: { staffNo: manager.code, pin },
  });
}

function auditLines() {
  return host.ledger.auditLog.after(0, 100_000);
}

describe('wrong approver PINs', () => {
  it('say how many tries remain, then pause approvals for 30 s, then 60 s, and never lock the login', async () => {
    const { session } = await login(cashier.code, cashier.pin);
    await charge(session);
    expect(await voidWith(session, '000000')).toMatchObject({
      ok: false,
      error: { code: 'APPROVER_PIN_WRONG', details: { attemptsLeft: 2 } },
    });
    expect(await voidWith(session, '000000')).toMatchObject({
      error: { code: 'APPROVER_PIN_WRONG', details: { attemptsLeft: 1 } },
    });
    expect(await voidWith(session, '000000')).toMatchObject({
      error: { code: 'APPROVER_PAUSED', details: { retryAfterSeconds: 30 } },
    });
    // During the pause even the right PIN is not looked at, so guessing gains nothing.
    clock += 10_000;
    expect(await voidWith(session, manager.pin)).toMatchObject({
      error: { code: 'APPROVER_PAUSED', details: { retryAfterSeconds: 20 } },
    });
    // Five and more wrong approver PINs later, the manager still logs in.
    expect((await login(manager.code, manager.pin)).reply.ok).toBe(true);
    expect(host.ledger.staff(manager.id)?.locked).toBe(false);

    clock += 20_000;
    for (const left of [2, 1]) {
      expect(await voidWith(session, '000000')).toMatchObject({
        error: { code: 'APPROVER_PIN_WRONG', details: { attemptsLeft: left } },
      });
    }
    expect(await voidWith(session, '000000')).toMatchObject({
      error: { code: 'APPROVER_PAUSED', details: { retryAfterSeconds: 60 } },
    });
    clock += 60_000;
    // The right PIN after the pause approves the void and clears the count.
    expect(await voidWith(session, manager.pin)).toMatchObject({ ok: true });
    await charge(session);
    expect(await voidWith(session, '000000')).toMatchObject({
      error: { code: 'APPROVER_PIN_WRONG', details: { attemptsLeft: 2 } },
    });
  });
});

describe('unlocking at the login screen', () => {
  it('lets a manager unlock a locked-out cashier with their own PIN, and only a cashier', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) await login(cashier.code, '000000');
    expect((await login(cashier.code, cashier.pin)).reply).toMatchObject({ error: { code: 'STAFF_LOCKED' } });

    const nobody = new Session('test');
    expect(
      await host.api.call(nobody, 'staff.unlockWithApprover', {
        staffNo: cashier.code,
        approver: { staffNo: manager.code, pin: '000000' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'APPROVER_PIN_WRONG', details: { attemptsLeft: expect.any(Number) } },
    });
    expect(
      await host.api.call(nobody, 'staff.unlockWithApprover', {
        staffNo: cashier.code,
        approver: { staffNo: manager.code, pin: manager.pin },
      }),
    ).toEqual({ ok: true, value: { staffNo: cashier.code, name: expect.any(String) } });
    expect((await login(cashier.code, cashier.pin)).reply.ok).toBe(true);

    // A manager does not unlock another manager or an admin: that is an admin's.
    expect(
      await host.api.call(nobody, 'staff.unlockWithApprover', {
        staffNo: DEMO.staff.technician.code,
        approver: { staffNo: manager.code, pin: manager.pin },
      }),
    ).toMatchObject({ ok: false, error: { code: 'UNLOCK_NEEDS_ADMIN' } });
    // A cashier cannot approve an unlock at all.
    expect(
      await host.api.call(nobody, 'staff.unlockWithApprover', {
        staffNo: cashier.code,
        approver: { staffNo: cashier.code, pin: cashier.pin },
      }),
    ).toMatchObject({ ok: false, error: { code: 'APPROVER_NOT_MANAGER' } });
  });

  it('audits an unknown staff number as unknown, never the digits typed', async () => {
    await login('98765432', '1234');
    const line = auditLines().find(
      (entry) => entry.action === 'staff.login' && entry.code === 'STAFF_UNKNOWN',
    );
    expect(line).toBeDefined();
    expect(JSON.stringify(line)).not.toContain('98765432');
  });
});

describe('the recovery sheet', () => {
  it('brings the only admin back with the one-time code, which is kept only as a hash and works once', async () => {
    const { session } = await login(admin.code, admin.pin);
    expect(await host.api.call(session, 'staff.recoverySheet', {})).toEqual({ ok: true, value: null });
    const issued = await host.api.call(session, 'staff.issueRecoverySheet', {});
    expect(issued.ok).toBe(true);
    const code = issued.ok ? (issued.value as { code: string }).code : '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(await host.api.call(session, 'staff.recoverySheet', {})).toMatchObject({
      ok: true,
      value: { issuedAt: clock },
    });
    host.ledger.checkpoint();
    for (const file of readdirSync(dataDir).filter(
      (name) => name.includes('sqlite') || name.endsWith('.db'),
    )) {
      expect(readFileSync(join(dataDir, file)).includes(code.replace(/-/g, '')), file).toBe(false);
      expect(readFileSync(join(dataDir, file)).includes(code), file).toBe(false);
    }

    // The only admin forgets the PIN and is locked out.
    for (let attempt = 0; attempt < 5; attempt += 1) await login(admin.code, '000000');
    expect((await login(admin.code, admin.pin)).reply).toMatchObject({ error: { code: 'STAFF_LOCKED' } });

    const nobody = new Session('test');
    expect(
      await host.api.call(nobody, 'staff.recover', {
        recoveryCode: 'AAAA-AAAA-AAAA-AAAA-AAAA',
        staffNo: admin.code,
        pin: '86420',
      }),
    ).toMatchObject({ ok: false, error: { code: 'RECOVERY_CODE_WRONG', details: { attemptsLeft: 4 } } });
    expect(
      await host.api.call(nobody, 'staff.recover', {
        recoveryCode: code,
        staffNo: cashier.code,
        pin: '86420',
      }),
    ).toMatchObject({ ok: false, error: { code: 'RECOVERY_NOT_ADMIN' } });
    // Typed from paper: lower case, spaces for dashes.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    expect(
      await host.api.call(nobody, 'staff.recover', {
        recoveryCode: typed,
        staffNo: admin.code,
        pin: '86420',
      }),
    ).toMatchObject({ ok: true, value: { staffNo: admin.code } });
    expect((await login(admin.code, '86420')).reply.ok).toBe(true);
    expect(
      await host.api.call(nobody, 'staff.recover', { recoveryCode: code, staffNo: admin.code, pin: '11111' }),
    ).toMatchObject({ ok: false, error: { code: 'RECOVERY_NOT_SET' } });
    expect(auditLines().map((line) => line.action)).toContain('recovery.use');
  });

  it('pauses after five wrong codes in a row', async () => {
    const { session } = await login(admin.code, '86420');
    await host.api.call(session, 'staff.issueRecoverySheet', {});
    const nobody = new Session('test');
    const attempt = () =>
      host.api.call(nobody, 'staff.recover', {
        recoveryCode: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ',
        staffNo: admin.code,
        pin: '86420',
      });
    for (const left of [4, 3, 2, 1]) {
      expect(await attempt()).toMatchObject({
        error: { code: 'RECOVERY_CODE_WRONG', details: { attemptsLeft: left } },
      });
    }
    expect(await attempt()).toMatchObject({
      error: { code: 'RECOVERY_PAUSED', details: { retryAfterSeconds: 60 } },
    });
  });
});
