import { afterAll, describe, expect, it } from 'vitest';
import { openPromotions } from '../../../db/promotions/index';
import {
  CONSENT,
  cashier,
  closeAll,
  codeOf,
  DEMO,
  ID_NUMBER,
  manager,
  memberLedger,
  terminalId,
} from './support';

afterAll(closeAll);

function setup() {
  const base = memberLedger();
  const promotions = openPromotions(base.ledger, { now: base.time.now });
  promotions.createRule({
    id: 'steps',
    storeId: DEMO.storeId,
    terms: {
      name: '充100送10',
      steps: [{ minFen: 10_000, bonusFen: 1_000 }],
      pointsPerYuan: 1,
      validFrom: 0,
    },
    staffId: manager,
  });
  return { ...base, promotions };
}

const registration = {
  id: 'm-act',
  storeId: DEMO.storeId,
  name: '郑爽',
  phone: '13512345678',
  idNumber: ID_NUMBER,
  consent: CONSENT,
};
const card = {
  id: 'c-act',
  cardNumber: '8800000000000777',
  uid: '04C0FFEE001122',
  medium: 'mifare' as const,
};

describe('activating a card (开卡)', () => {
  it('registers, binds the card, sets the password and makes the opening top-up with its bonus, together', () => {
    const { ledger, members, promotions } = setup();
    const done = promotions.activateCard({
      member: { register: registration },
      identityChecked: true,
      card,
      password: '480261',
      openingTopUp: { operationId: 'open-1', amountFen: 20_000, tender: 'wechat' },
      staffId: cashier,
      terminalId,
    });
    expect(done).toMatchObject({
      memberId: 'm-act',
      passwordSet: true,
      card: { id: 'c-act', state: 'active' },
    });
    expect(done.openingTopUp?.quote).toMatchObject({ ruleId: 'steps', bonusFen: 1_000, points: 200 });
    expect(ledger.balance('c-act')).toEqual({ principalFen: 20_000, bonusFen: 1_000, points: 200 });
    expect(ledger.findCardByUid('04C0FFEE001122')?.memberId).toBe('m-act');
    expect(() => members.verifyPassword({ memberId: 'm-act', password: '480261' })).not.toThrow();
  });

  it('will not record an ID number unless staff confirm the document was seen', () => {
    const { ledger, promotions } = setup();
    expect(
      codeOf(() =>
        promotions.activateCard({
          member: { register: registration },
          identityChecked: false,
          card,
          staffId: cashier,
          terminalId,
        }),
      ),
    ).toBe('IDENTITY_NOT_CHECKED');
    expect(ledger.member('m-act')).toBeUndefined();
  });

  it('leaves no member, card or password behind when the opening top-up is refused', () => {
    const { ledger, members, promotions } = setup();
    const refused = codeOf(() =>
      promotions.activateCard({
        member: { register: registration },
        identityChecked: true,
        card,
        password: '480261',
        openingTopUp: {
          operationId: 'open-1',
          amountFen: 20_000,
          tender: 'cash',
          expected: { ruleId: null, ruleVersion: null, bonusFen: 0, points: 0 },
        },
        staffId: cashier,
        terminalId,
      }),
    );
    expect(refused).toBe('QUOTE_CHANGED');
    expect(ledger.member('m-act')).toBeUndefined();
    expect(ledger.card('c-act')).toBeUndefined();
    expect(members.profile('m-act')).toBeUndefined();
    expect(ledger.verifyAuditChain().ok).toBe(true);
  });

  it('gives a member already on file another card', () => {
    const { ledger, promotions } = setup();
    const done = promotions.activateCard({
      member: { memberId: DEMO.members.keyed.id },
      identityChecked: false,
      card,
      staffId: cashier,
      terminalId,
    });
    expect(done.openingTopUp).toBeNull();
    expect(ledger.cardsOf(DEMO.members.keyed.id).map((c) => c.id)).toContain('c-act');
  });
});
