import { afterAll, describe, expect, it } from 'vitest';
import { expiryOperationId } from '../../../db/loyalty/index';
import {
  cashier,
  closeAll,
  codeOf,
  DAY,
  DEMO,
  loyaltyLedger,
  manager,
  storeNet,
  terminalId,
  YUAN,
} from './support';

afterAll(closeAll);

const card = DEMO.cards.keyed.id; // starts empty
const actor = { staffId: cashier, terminalId };
const steps = [{ minFen: 100 * YUAN, bonusFen: 10 * YUAN }];

function withRule(bonusExpiryDays: number | null) {
  const base = loyaltyLedger();
  base.promotions.createRule({
    id: 'r',
    storeId: DEMO.storeId,
    terms: { name: '充100送10', steps, validFrom: base.time.now() - DAY, bonusExpiryDays },
    staffId: manager,
  });
  const topUp = (operationId: string, amountFen = 100 * YUAN) =>
    base.promotions.topUpWithRules({ ...actor, operationId, cardId: card, amountFen, tender: 'cash' });
  return { ...base, topUp };
}

describe('bonus expiry', () => {
  it('moves a lapsed bonus into breakage, never revenue, as an operation with audit and outbox', () => {
    const { ledger, loyalty, time, topUp } = withRule(30);
    topUp('t-1');
    const revenue = storeNet(ledger, DEMO.storeId, 'stored_value_revenue');
    expect(loyalty.runBonusExpiry({ ...actor, at: time.now() + 29 * DAY }).lines).toEqual([]);
    time.advance(31 * DAY);
    const run = loyalty.runBonusExpiry({ staffId: manager, terminalId });
    expect(run.totalFen).toBe(10 * YUAN);
    expect(ledger.operation(expiryOperationId('t-1'))).toMatchObject({ kind: 'expiry', bonusFen: 10 * YUAN });
    expect(ledger.balance(card)).toMatchObject({ principalFen: 100 * YUAN, bonusFen: 0 });
    expect(storeNet(ledger, DEMO.storeId, 'breakage')).toBe(10 * YUAN);
    expect(storeNet(ledger, DEMO.storeId, 'stored_value_revenue')).toBe(revenue);
    const audit = ledger.sqlite
      .prepare<[string], { n: number }>(
        `SELECT COUNT(*) AS n FROM audit WHERE operation_id = ? AND action = 'operation.expiry'`,
      )
      .get(expiryOperationId('t-1'));
    expect(audit?.n).toBe(1);
    expect(
      ledger.outbox
        .pending(10_000)
        .some((row) => row.kind === 'expiry' && row.operationId === expiryOperationId('t-1')),
    ).toBe(true);
    // A second run finds nothing more to do.
    expect(loyalty.runBonusExpiry({ staffId: manager, terminalId }).lines).toEqual([]);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('never expires a bonus whose rule has no expiry (the default)', () => {
    const { ledger, loyalty, time, topUp } = withRule(null);
    topUp('t-1');
    time.advance(10_000 * DAY);
    expect(loyalty.runBonusExpiry({ ...actor }).lines).toEqual([]);
    expect(ledger.balance(card).bonusFen).toBe(10 * YUAN);
  });

  it('takes only what is left of that top-up’s bonus, first in first out', () => {
    const { ledger, loyalty, time, topUp } = withRule(30);
    topUp('t-1');
    ledger.spend({ ...actor, operationId: 's-1', cardId: card, amountFen: 104 * YUAN });
    // Proportional or bonus-first, some of the bonus went on the charge.
    const left = ledger.balance(card).bonusFen;
    expect(left).toBeLessThan(10 * YUAN);
    time.advance(10 * DAY);
    topUp('t-2');
    time.advance(21 * DAY);
    const run = loyalty.runBonusExpiry({ ...actor });
    expect(run.lines).toEqual([
      expect.objectContaining({
        topUpOperationId: 't-1',
        expiredFen: left,
      }),
    ]);
    // The later top-up's bonus stays until its own date.
    expect(ledger.balance(card).bonusFen).toBe(10 * YUAN);
    time.advance(10 * DAY);
    expect(loyalty.runBonusExpiry({ ...actor }).totalFen).toBe(10 * YUAN);
    expect(ledger.balance(card).bonusFen).toBe(0);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('records a bonus already spent or voided without moving anything', () => {
    const { ledger, loyalty, time, topUp } = withRule(30);
    topUp('t-1');
    ledger.voidOperation({ ...actor, operationId: 'v-1', targetOperationId: 't-1', approvedBy: manager });
    time.advance(31 * DAY);
    expect(loyalty.runBonusExpiry({ ...actor }).lines).toEqual([
      expect.objectContaining({ topUpOperationId: 't-1', expiredFen: 0, operationId: null }),
    ]);
    expect(ledger.operation(expiryOperationId('t-1'))).toBeUndefined();
  });

  it('a change to the rule never alters a past top-up or its expiry', () => {
    const { ledger, loyalty, promotions, time, topUp } = withRule(30);
    topUp('t-1');
    promotions.changeRule({
      id: 'r',
      terms: { name: '充100送50', steps: [{ minFen: 100 * YUAN, bonusFen: 50 * YUAN }], validFrom: 0 },
      staffId: manager,
    });
    expect(ledger.operation('t-1')).toMatchObject({ bonusFen: 10 * YUAN });
    expect(promotions.applicationOf('t-1')).toMatchObject({ ruleVersion: 1, bonusFen: 10 * YUAN });
    time.advance(31 * DAY);
    expect(loyalty.runBonusExpiry({ ...actor }).totalFen).toBe(10 * YUAN);
  });
});

describe('closing a card', () => {
  it('forfeits the bonus into breakage, pays back the principal, and records no revenue', () => {
    const { ledger, members, topUp } = withRule(null);
    topUp('t-1');
    const revenue = storeNet(ledger, DEMO.storeId, 'stored_value_revenue');
    const result = members.closeCard({
      ...actor,
      operationId: 'x-1',
      cardId: card,
      tender: 'cash',
      approvedBy: manager,
    });
    expect(result).toMatchObject({ principalRefundedFen: 100 * YUAN, bonusForfeitedFen: 10 * YUAN });
    expect(ledger.operation('x-1:f')).toMatchObject({ kind: 'forfeit', bonusFen: 10 * YUAN });
    expect(storeNet(ledger, DEMO.storeId, 'breakage')).toBe(10 * YUAN);
    expect(storeNet(ledger, DEMO.storeId, 'stored_value_revenue')).toBe(revenue);
    expect(ledger.card(card)?.state).toBe('closed');
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('a forfeit or expiry cannot take more bonus than the card holds', () => {
    const { ledger, topUp } = withRule(null);
    topUp('t-1');
    expect(
      codeOf(() =>
        ledger.forfeitBonus({
          ...actor,
          operationId: 'f-1',
          kind: 'forfeit',
          cardId: card,
          amountFen: 10 * YUAN + 1,
        }),
      ),
    ).toBe('BALANCE_INSUFFICIENT');
    expect(ledger.balance(card).bonusFen).toBe(10 * YUAN);
  });
});
