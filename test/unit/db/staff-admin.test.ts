import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, codeOf, DEMO, demoLedger } from './support';

afterAll(closeAll);

const admin = DEMO.staff.admin.id;
const manager = DEMO.staff.manager.id;
const cashier = DEMO.staff.cashier.id;

function auditOf(ledger: ReturnType<typeof demoLedger>['ledger'], action: string) {
  return ledger.sqlite
    .prepare('SELECT outcome, code, staff_id AS staffId, details FROM audit WHERE action = ? ORDER BY id')
    .all(action) as Array<{ outcome: string; code: string | null; staffId: string | null; details: string }>;
}

describe('staff administration', () => {
  it('an admin adds a staff member who can log in with the initial PIN; the audit names the admin', () => {
    const { ledger } = demoLedger();
    const added = ledger.addStaff({
      id: 'staff-1002',
      storeId: DEMO.storeId,
      code: '1002',
      name: '周晓',
      role: 'cashier',
      pin: '246810',
      byStaffId: admin,
    });
    expect(added).toMatchObject({ code: '1002', role: 'cashier', active: true, locked: false });
    expect(ledger.authenticateStaff({ code: '1002', pin: '246810' }).id).toBe('staff-1002');
    const [line] = auditOf(ledger, 'staff.add');
    expect(line).toMatchObject({ outcome: 'ok', staffId: admin });
    expect(JSON.parse(line?.details ?? '{}')).toMatchObject({ target: 'staff-1002', role: 'cashier' });
    expect(ledger.listStaff().map((staff) => staff.code)).toEqual(['1001', '1002', '2001', '3001', '9001']);
  });

  it('refuses anyone but an active admin, and records the refusal', () => {
    const { ledger } = demoLedger();
    const base = { storeId: DEMO.storeId, name: 'X', role: 'cashier' as const, pin: '1234' };
    expect(codeOf(() => ledger.addStaff({ ...base, id: 's-x', code: '5005', byStaffId: manager }))).toBe(
      'ADMIN_REQUIRED',
    );
    expect(codeOf(() => ledger.deactivateStaff({ staffId: cashier, byStaffId: manager }))).toBe(
      'ADMIN_REQUIRED',
    );
    expect(codeOf(() => ledger.addStaff({ ...base, id: 's-y', code: '1001', byStaffId: admin }))).toBe(
      'STAFF_CODE_TAKEN',
    );
    expect(ledger.staff('s-x')).toBeUndefined();
    expect(auditOf(ledger, 'staff.add')).toEqual([
      expect.objectContaining({ outcome: 'rejected', code: 'ADMIN_REQUIRED', staffId: manager }),
      expect.objectContaining({ outcome: 'rejected', code: 'STAFF_CODE_TAKEN', staffId: admin }),
    ]);
  });

  it('a deactivated staff member cannot log in or act until reactivated', () => {
    const { ledger } = demoLedger();
    expect(ledger.deactivateStaff({ staffId: cashier, byStaffId: admin }).active).toBe(false);
    // Refused even with the right PIN, and wrong guesses are not counted towards a lockout.
    expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '123456' }))).toBe('STAFF_DEACTIVATED');
    for (let attempt = 0; attempt < 6; attempt += 1) {
      expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '0000' }))).toBe('STAFF_DEACTIVATED');
    }
    expect(
      codeOf(() =>
        ledger.spend({
          operationId: 'op-deactivated',
          cardId: DEMO.cards.uid.id,
          amountFen: 1,
          staffId: cashier,
          terminalId: DEMO.terminalId,
        }),
      ),
    ).toBe('STAFF_DEACTIVATED');
    expect(ledger.reactivateStaff({ staffId: cashier, byStaffId: admin })).toMatchObject({
      active: true,
      locked: false,
    });
    expect(ledger.authenticateStaff({ code: '1001', pin: '123456' }).id).toBe(cashier);
    expect(auditOf(ledger, 'staff.deactivate')).toEqual([
      expect.objectContaining({ outcome: 'ok', staffId: admin }),
    ]);
    expect(auditOf(ledger, 'staff.reactivate')).toEqual([
      expect.objectContaining({ outcome: 'ok', staffId: admin }),
    ]);
  });

  it('resets a PIN (clearing a lockout) and unlocks a locked-out staff member', () => {
    const { ledger } = demoLedger();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '0000' }));
    }
    expect(ledger.staff(cashier)?.locked).toBe(true);
    expect(ledger.resetStaffPin({ staffId: cashier, pin: '135790', byStaffId: admin }).locked).toBe(false);
    expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '123456' }))).toBe('STAFF_PIN_WRONG');
    expect(ledger.authenticateStaff({ code: '1001', pin: '135790' }).id).toBe(cashier);
    expect(codeOf(() => ledger.resetStaffPin({ staffId: cashier, pin: '12ab', byStaffId: admin }))).toBe(
      'PIN_INVALID',
    );

    for (let attempt = 0; attempt < 5; attempt += 1) {
      codeOf(() => ledger.authenticateStaff({ code: '2001', pin: '0000' }));
    }
    expect(ledger.unlockStaff({ staffId: manager, byStaffId: admin }).locked).toBe(false);
    expect(ledger.authenticateStaff({ code: '2001', pin: '888888' }).id).toBe(manager);
    expect(auditOf(ledger, 'staff.resetPin')[0]).toMatchObject({ outcome: 'ok', staffId: admin });
    const stored = ledger.sqlite.prepare('SELECT pin_hash FROM staff WHERE id = ?').get(cashier) as {
      pin_hash: string;
    };
    expect(stored.pin_hash).not.toContain('135790');
  });

  it('changes a role, and never deactivates or demotes the last active admin', () => {
    const { ledger } = demoLedger();
    expect(codeOf(() => ledger.deactivateStaff({ staffId: admin, byStaffId: admin }))).toBe('ADMIN_IS_LAST');
    expect(codeOf(() => ledger.changeStaffRole({ staffId: admin, role: 'manager', byStaffId: admin }))).toBe(
      'ADMIN_IS_LAST',
    );
    expect(ledger.staff(admin)).toMatchObject({ role: 'admin', active: true });

    expect(ledger.changeStaffRole({ staffId: manager, role: 'admin', byStaffId: admin }).role).toBe('admin');
    const changed = auditOf(ledger, 'staff.changeRole').filter((line) => line.outcome === 'ok');
    expect(JSON.parse(changed[0]?.details ?? '{}')).toMatchObject({
      target: manager,
      from: 'manager',
      to: 'admin',
    });
    // With a second admin, the first may step down; then the second is the last.
    expect(ledger.changeStaffRole({ staffId: admin, role: 'manager', byStaffId: manager }).role).toBe(
      'manager',
    );
    expect(codeOf(() => ledger.deactivateStaff({ staffId: manager, byStaffId: manager }))).toBe(
      'ADMIN_IS_LAST',
    );
    expect(codeOf(() => ledger.changeStaffRole({ staffId: cashier, role: 'admin', byStaffId: admin }))).toBe(
      'ADMIN_REQUIRED',
    );
    expect(
      codeOf(() =>
        ledger.changeStaffRole({ staffId: cashier, role: 'owner' as 'admin', byStaffId: manager }),
      ),
    ).toBe('INPUT_INVALID');
    expect(ledger.checkInvariants()).toMatchObject({ ok: true });
  });
});
