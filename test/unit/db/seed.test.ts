import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../db/index';
import { closeAll, codeOf, DEMO, demoLedger } from './support';

afterAll(closeAll);

describe('demo seed', () => {
  it('creates the café: Asia/Shanghai, day close at 04:00, principal first, ¥50,000 per operation', () => {
    const { ledger } = demoLedger();
    expect(ledger.store(DEMO.storeId)).toMatchObject({
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      dayCloseHour: 4,
      spendPolicy: 'principal_first',
      singleOperationLimitFen: 5_000_000,
    });
    expect(ledger.terminal(DEMO.terminalId)?.storeId).toBe(DEMO.storeId);
  });

  it('creates one staff member per role with the demo PINs', () => {
    const { ledger } = demoLedger();
    const logins = [
      ['1001', '123456', 'cashier'],
      ['2001', '888888', 'manager'],
      ['3001', '666666', 'technician'],
      ['9001', '999999', 'admin'],
    ] as const;
    for (const [code, pin, role] of logins) expect(ledger.authenticateStaff({ code, pin }).role).toBe(role);
  });

  it('issues a UID card, a secured MIFARE card, a magstripe card and a keyed card to four members', () => {
    const { ledger } = demoLedger();
    expect(ledger.findCardByUid('04A1B2C3D4E5F6')).toMatchObject({
      medium: 'uid',
      balance: { principalFen: 50_000 },
    });
    expect(ledger.findCardByNumber('8800000000000002')).toMatchObject({
      medium: 'mifare',
      balance: { principalFen: 100_000 },
    });
    expect(ledger.findCardByNumber('6200000000000003')).toMatchObject({
      medium: 'magstripe',
      balance: { principalFen: 20_000 },
    });
    expect(ledger.findCardByNumber(DEMO.cards.keyed.cardNumber)).toMatchObject({
      medium: 'keyed',
      balance: { principalFen: 0, bonusFen: 0, points: 0 },
    });
    const members = new Set(Object.values(DEMO.cards).map((card) => ledger.card(card.id)?.memberId));
    expect(members.size).toBe(4);
    expect(ledger.checkInvariants().ok).toBe(true);
    expect(ledger.verifyAuditChain().ok).toBe(true);
  });

  it('refuses to seed a ledger twice', () => {
    const { ledger } = demoLedger();
    expect(codeOf(() => seedDemo(ledger))).toBe('ID_TAKEN');
    expect(ledger.cardsOf(DEMO.members.uid.id)).toHaveLength(1);
  });
});
