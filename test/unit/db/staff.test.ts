import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, codeOf, DEMO, demoLedger } from './support';

afterAll(closeAll);

describe('staff login', () => {
  it('accepts the right PIN and never stores the PIN itself', () => {
    const { ledger } = demoLedger();
    expect(ledger.authenticateStaff({ code: '1001', pin: '123456' })).toMatchObject({
      id: DEMO.staff.cashier.id,
      role: 'cashier',
    });
    const stored = ledger.sqlite.prepare('SELECT pin_hash FROM staff WHERE code = ?').get('1001') as {
      pin_hash: string;
    };
    expect(stored.pin_hash).toMatch(/^scrypt\$/);
    expect(stored.pin_hash).not.toContain('123456');
  });

  it('counts wrong PINs, locks after five in a row, and a manager unlocks', () => {
    const { ledger } = demoLedger();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '000000' }))).toBe('STAFF_PIN_WRONG');
    }
    expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '000000' }))).toBe('STAFF_LOCKED');
    // Locked: even the right PIN is refused, and the cashier cannot operate.
    expect(codeOf(() => ledger.authenticateStaff({ code: '1001', pin: '123456' }))).toBe('STAFF_LOCKED');
    expect(
      codeOf(() =>
        ledger.spend({
          operationId: 'op',
          cardId: DEMO.cards.uid.id,
          amountFen: 1,
          staffId: DEMO.staff.cashier.id,
          terminalId: DEMO.terminalId,
        }),
      ),
    ).toBe('STAFF_LOCKED');
    expect(
      codeOf(() =>
        ledger.unlockStaff({ staffId: DEMO.staff.cashier.id, byStaffId: DEMO.staff.technician.id }),
      ),
    ).toBe('APPROVER_NOT_MANAGER');
    expect(
      ledger.unlockStaff({ staffId: DEMO.staff.cashier.id, byStaffId: DEMO.staff.manager.id }).locked,
    ).toBe(false);
    expect(ledger.authenticateStaff({ code: '1001', pin: '123456' }).id).toBe(DEMO.staff.cashier.id);
  });

  it('resets the count after a right PIN', () => {
    const { ledger } = demoLedger();
    for (let attempt = 1; attempt <= 4; attempt += 1)
      codeOf(() => ledger.authenticateStaff({ code: '2001', pin: '1' }));
    ledger.authenticateStaff({ code: '2001', pin: '888888' });
    expect(codeOf(() => ledger.authenticateStaff({ code: '2001', pin: '0000' }))).toBe('STAFF_PIN_WRONG');
  });

  it('refuses unknown codes, malformed PINs on creation, and duplicate codes', () => {
    const { ledger } = demoLedger();
    expect(codeOf(() => ledger.authenticateStaff({ code: '4242', pin: '123456' }))).toBe('STAFF_UNKNOWN');
    const base = { storeId: DEMO.storeId, name: 'New', role: 'cashier' as const };
    expect(codeOf(() => ledger.createStaff({ ...base, id: 's-x', code: '5005', pin: '12a4' }))).toBe(
      'PIN_INVALID',
    );
    expect(codeOf(() => ledger.createStaff({ ...base, id: 's-y', code: '1001', pin: '1234' }))).toBe(
      'STAFF_CODE_TAKEN',
    );
  });

  it('writes an audit line for every login attempt', () => {
    const { ledger } = demoLedger();
    codeOf(() => ledger.authenticateStaff({ code: '9001', pin: '0' }));
    ledger.authenticateStaff({ code: '9001', pin: '999999' });
    const lines = ledger.sqlite
      .prepare(`SELECT outcome, code FROM audit WHERE action = 'staff.login' ORDER BY id`)
      .all();
    expect(lines).toEqual([
      { outcome: 'rejected', code: 'STAFF_PIN_WRONG' },
      { outcome: 'ok', code: null },
    ]);
  });
});
