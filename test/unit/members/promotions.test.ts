import { afterAll, describe, expect, it } from 'vitest';
import { openPromotions } from '../../../db/promotions/index';
import { checkTerms, rewardFor } from '../../../db/promotions/rules';
import { cashier, closeAll, codeOf, DEMO, manager, memberLedger, terminalId } from './support';

afterAll(closeAll);

const DAY = 86_400_000;
const card = DEMO.cards.keyed.id; // starts empty
const member = DEMO.members.keyed.id;
const YUAN = 100;

function setup() {
  const base = memberLedger();
  const promotions = openPromotions(base.ledger, { now: base.time.now });
  const from = base.time.now() - DAY;
  return { ...base, promotions, from };
}

const steps = [
  { minFen: 100 * YUAN, bonusFen: 10 * YUAN },
  { minFen: 500 * YUAN, bonusFen: 80 * YUAN },
];

function topUp(promotions: ReturnType<typeof setup>['promotions'], operationId: string, amountFen: number) {
  return promotions.topUpWithRules({
    operationId,
    cardId: card,
    amountFen,
    tender: 'cash',
    staffId: cashier,
    terminalId,
  });
}

describe('what a rule gives', () => {
  const terms = (extra: object) => checkTerms({ name: 'r', validFrom: 0, ...extra });

  it('fixed steps: the highest step reached (充100送10, 充500送80), nothing below the first', () => {
    const rule = terms({ steps });
    expect(rewardFor(rule, 99_99).bonusFen).toBe(0);
    expect(rewardFor(rule, 100 * YUAN).bonusFen).toBe(10 * YUAN);
    expect(rewardFor(rule, 499 * YUAN).bonusFen).toBe(10 * YUAN);
    expect(rewardFor(rule, 500 * YUAN).bonusFen).toBe(80 * YUAN);
    expect(rewardFor(rule, 2_000 * YUAN).bonusFen).toBe(80 * YUAN);
  });

  it('a percentage rounds down to the fen; points are per whole yuan', () => {
    expect(rewardFor(terms({ percentBp: 750 }), 12_345).bonusFen).toBe(925);
    expect(rewardFor(terms({ pointsPerYuan: 2 }), 12_399)).toEqual({
      bonusFen: 0,
      points: 246,
      upgradeTierId: null,
    });
  });

  it('refuses terms that are contradictory or give nothing', () => {
    const code = (extra: object) => codeOf(() => terms(extra));
    expect(code({ steps, percentBp: 500 })).toBe('RULE_INVALID');
    expect(
      code({
        steps: [
          { minFen: 500, bonusFen: 1 },
          { minFen: 100, bonusFen: 2 },
        ],
      }),
    ).toBe('RULE_INVALID');
    expect(code({ percentBp: 0.5 })).toBe('RULE_INVALID');
    expect(code({})).toBe('RULE_INVALID');
    expect(code({ upgradeMinFen: 100 })).toBe('RULE_INVALID');
    expect(code({ percentBp: 100, validTo: -1 })).toBe('RULE_INVALID');
  });
});

describe('quoting and applying a top-up bonus', () => {
  it('shows bonus, points and rule before confirming, and writes nothing while quoting', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: '充100送10', steps, pointsPerYuan: 1, validFrom: from },
      staffId: manager,
    });
    const operations = ledger.operationsOf({ limit: 100_000 }).length;
    const quote = promotions.quoteTopUp(card, 500 * YUAN);
    expect(quote).toMatchObject({
      ruleId: 'steps',
      ruleVersion: 1,
      bonusFen: 80 * YUAN,
      points: 500,
      bonusExpiresAt: null,
    });
    expect(ledger.operationsOf({ limit: 100_000 })).toHaveLength(operations);
  });

  it('puts the bonus on the bonus account and records the rule version applied', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: '充100送10', steps, validFrom: from },
      staffId: manager,
    });
    const done = topUp(promotions, 't-1', 100 * YUAN);
    expect(done.operation.bonusFen).toBe(10 * YUAN);
    expect(ledger.balance(card)).toEqual({ principalFen: 100 * YUAN, bonusFen: 10 * YUAN, points: 0 });
    expect(promotions.applicationOf('t-1')).toMatchObject({
      ruleId: 'steps',
      ruleVersion: 1,
      bonusFen: 10 * YUAN,
    });
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('picks the most generous rule in force', () => {
    const { promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: 'steps', steps, validFrom: from },
      staffId: manager,
    });
    promotions.createRule({
      id: 'pct',
      storeId: DEMO.storeId,
      terms: { name: '12%', percentBp: 1_200, validFrom: from },
      staffId: manager,
    });
    expect(promotions.quoteTopUp(card, 100 * YUAN).ruleId).toBe('pct');
    expect(promotions.quoteTopUp(card, 500 * YUAN).ruleId).toBe('steps');
  });

  it('a change makes a new version; earlier top-ups keep the version and bonus they had', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: 'v1', steps, validFrom: from },
      staffId: manager,
    });
    topUp(promotions, 't-1', 100 * YUAN);
    const v2 = promotions.changeRule({
      id: 'steps',
      terms: { name: 'v2', steps: [{ minFen: 100 * YUAN, bonusFen: 20 * YUAN }], validFrom: from },
      staffId: manager,
    });
    expect(v2.version).toBe(2);
    topUp(promotions, 't-2', 100 * YUAN);
    expect(promotions.applicationOf('t-1')).toMatchObject({ ruleVersion: 1, bonusFen: 10 * YUAN });
    expect(promotions.applicationOf('t-2')).toMatchObject({ ruleVersion: 2, bonusFen: 20 * YUAN });
    expect(promotions.rule('steps', 1)?.name).toBe('v1');
    expect(ledger.operation('t-1')?.bonusFen).toBe(10 * YUAN);
  });

  it('refuses the top-up when the rules changed after the cashier saw the quote', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: 'v1', steps, validFrom: from },
      staffId: manager,
    });
    const shown = promotions.quoteTopUp(card, 100 * YUAN);
    promotions.retireRule({ id: 'steps', staffId: manager });
    expect(
      codeOf(() =>
        promotions.topUpWithRules({
          operationId: 't-1',
          cardId: card,
          amountFen: 100 * YUAN,
          tender: 'cash',
          staffId: cashier,
          terminalId,
          expected: shown,
        }),
      ),
    ).toBe('QUOTE_CHANGED');
    expect(ledger.operation('t-1')).toBeUndefined();
  });

  it('respects valid dates and the per-member limit', () => {
    const { promotions, from, time } = setup();
    const later = time.now() + DAY;
    promotions.createRule({
      id: 'future',
      storeId: DEMO.storeId,
      terms: { name: 'f', percentBp: 5_000, validFrom: later },
      staffId: manager,
    });
    promotions.createRule({
      id: 'once',
      storeId: DEMO.storeId,
      terms: { name: 'o', steps, validFrom: from, validTo: later, perMemberLimit: 1 },
      staffId: manager,
    });
    expect(promotions.quoteTopUp(card, 100 * YUAN).ruleId).toBe('once');
    expect(promotions.quoteTopUp(card, 100 * YUAN, later).ruleId).toBe('future');
    topUp(promotions, 't-1', 100 * YUAN);
    expect(promotions.quoteTopUp(card, 100 * YUAN)).toMatchObject({ ruleId: null, bonusFen: 0 });
  });

  it('records when the bonus lapses if the rule says so (by default it never does)', () => {
    const { promotions, from } = setup();
    promotions.createRule({
      id: 'exp',
      storeId: DEMO.storeId,
      terms: { name: 'e', steps, validFrom: from, bonusExpiryDays: 30 },
      staffId: manager,
    });
    const done = topUp(promotions, 't-1', 100 * YUAN);
    expect(done.quote.bonusExpiresAt).toBe(done.quote.quotedAt + 30 * DAY);
    expect(promotions.applicationOf('t-1')?.bonusExpiresAt).toBe(done.quote.quotedAt + 30 * DAY);
    promotions.createRule({
      id: 'plain',
      storeId: DEMO.storeId,
      terms: { name: 'p', steps, validFrom: 0 },
      staffId: manager,
    });
    promotions.retireRule({ id: 'exp', staffId: manager });
    expect(topUp(promotions, 't-2', 100 * YUAN).quote.bonusExpiresAt).toBeNull();
  });

  it('returns the first result when the same top-up is sent again, without a second bonus', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: 'v1', steps, validFrom: from },
      staffId: manager,
    });
    const first = topUp(promotions, 't-1', 100 * YUAN);
    promotions.changeRule({
      id: 'steps',
      terms: { name: 'v2', percentBp: 5_000, validFrom: from },
      staffId: manager,
    });
    const again = topUp(promotions, 't-1', 100 * YUAN);
    expect(again.operation.replayed).toBe(true);
    expect(again.quote).toMatchObject({ ruleId: 'steps', ruleVersion: 1, bonusFen: first.quote.bonusFen });
    expect(ledger.balance(card).bonusFen).toBe(10 * YUAN);
  });

  it('quotes for a member created through the ledger alone, who has no tier', () => {
    const { ledger, promotions, from } = setup();
    promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: 's', steps, validFrom: from },
      staffId: manager,
    });
    ledger.createMember({ id: 'm-raw', storeId: DEMO.storeId, name: '散客' });
    ledger.issueCard({ id: 'c-raw', memberId: 'm-raw', cardNumber: '4400000000000001', medium: 'keyed' });
    const done = promotions.topUpWithRules({
      operationId: 't-raw',
      cardId: 'c-raw',
      amountFen: 100 * YUAN,
      tender: 'cash',
      staffId: cashier,
      terminalId,
    });
    expect(done.quote).toMatchObject({ ruleId: 'steps', bonusFen: 10 * YUAN });
    expect(done.tierChanges).toEqual([]);
  });

  it('only a manager writes rules', () => {
    const { promotions, from } = setup();
    expect(
      codeOf(() =>
        promotions.createRule({
          id: 'x',
          storeId: DEMO.storeId,
          terms: { name: 'x', steps, validFrom: from },
          staffId: cashier,
        }),
      ),
    ).toBe('APPROVER_NOT_MANAGER');
  });
});

describe('tiers', () => {
  function withTiers() {
    const base = setup();
    const t = { storeId: DEMO.storeId, staffId: manager };
    base.promotions.defineTier({
      ...t,
      id: 'silver',
      name: '银卡',
      rank: 1,
      basis: 'top_up',
      thresholdFen: 1_000 * YUAN,
      discountBp: 500,
    });
    base.promotions.defineTier({
      ...t,
      id: 'gold',
      name: '金卡',
      rank: 2,
      basis: 'top_up',
      thresholdFen: 3_000 * YUAN,
      discountBp: 1_000,
    });
    return base;
  }

  it('move a member up automatically when cumulative top-ups reach a threshold, never down', () => {
    const { promotions } = withTiers();
    topUp(promotions, 't-1', 600 * YUAN);
    expect(promotions.tierOf(member)).toBeNull();
    const second = topUp(promotions, 't-2', 400 * YUAN);
    expect(second.tierChanges.map((c) => [c.toTierId, c.how])).toEqual([['silver', 'auto']]);
    expect(promotions.tierOf(member)?.id).toBe('silver');
    promotions.changeTier({
      memberId: member,
      tierId: 'gold',
      reason: '周年活动',
      staffId: manager,
      terminalId,
    });
    expect(topUp(promotions, 't-3', 100 * YUAN).tierChanges).toEqual([]);
    expect(promotions.tierOf(member)?.id).toBe('gold');
  });

  it('a rule can move a member up on a single top-up of its amount', () => {
    const { promotions, from } = withTiers();
    promotions.createRule({
      id: 'gold-now',
      storeId: DEMO.storeId,
      terms: { name: '充2000升金卡', upgradeMinFen: 2_000 * YUAN, upgradeTierId: 'gold', validFrom: from },
      staffId: manager,
    });
    const done = topUp(promotions, 't-1', 2_000 * YUAN);
    expect(done.quote.tierUpgradeTo).toBe('gold');
    expect(promotions.tierOf(member)?.id).toBe('gold');
  });

  it('rules limited to tiers apply only to members in them', () => {
    const { promotions, from } = withTiers();
    promotions.createRule({
      id: 'vip',
      storeId: DEMO.storeId,
      terms: { name: 'vip', percentBp: 1_000, validFrom: from, eligibleTiers: ['gold'] },
      staffId: manager,
    });
    expect(promotions.quoteTopUp(card, 100 * YUAN).ruleId).toBeNull();
    promotions.changeTier({
      memberId: member,
      tierId: 'gold',
      reason: '企业客户',
      staffId: manager,
      terminalId,
    });
    expect(promotions.quoteTopUp(card, 100 * YUAN).ruleId).toBe('vip');
  });

  it('a manual change needs a manager and a reason, and is kept in the history', () => {
    const { promotions } = withTiers();
    const change = { memberId: member, tierId: 'gold', staffId: manager, terminalId };
    expect(codeOf(() => promotions.changeTier({ ...change, reason: ' ' }))).toBe('REASON_REQUIRED');
    expect(codeOf(() => promotions.changeTier({ ...change, reason: 'x', staffId: cashier }))).toBe(
      'APPROVER_NOT_MANAGER',
    );
    promotions.changeTier({ ...change, reason: '投诉补偿' });
    promotions.changeTier({ ...change, tierId: 'silver', reason: '核对后调整' });
    expect(promotions.tierChanges(member).map((c) => [c.fromTierId, c.toTierId, c.how, c.reason])).toEqual([
      [null, 'gold', 'manual', '投诉补偿'],
      ['gold', 'silver', 'manual', '核对后调整'],
    ]);
  });

  it('a charge takes the tier discount off the list price, rounded down in the member’s favour', () => {
    const { ledger, promotions } = withTiers();
    topUp(promotions, 't-1', 1_000 * YUAN);
    const charge = promotions.chargeWithTier({
      operationId: 's-1',
      cardId: card,
      listPriceFen: 3_899,
      staffId: cashier,
      terminalId,
    });
    expect(charge).toMatchObject({ listPriceFen: 3_899, discountFen: 194, chargedFen: 3_705 });
    expect(ledger.operation('s-1')?.amountFen).toBe(3_705);
    expect(ledger.balance(card).principalFen).toBe(1_000 * YUAN - 3_705);
  });
});

describe('refunding a top-up', () => {
  function toppedUp() {
    const base = setup();
    base.promotions.createRule({
      id: 'steps',
      storeId: DEMO.storeId,
      terms: { name: '充100送10', steps, pointsPerYuan: 1, validFrom: base.from },
      staffId: manager,
    });
    topUp(base.promotions, 't-1', 100 * YUAN);
    return base;
  }
  const refund = { staffId: cashier, terminalId, approvedBy: manager };

  it('shows the arithmetic first: principal back, bonus and points forfeited, balance after', () => {
    const { ledger, promotions } = toppedUp();
    const quote = promotions.quoteTopUpRefund({ topUpOperationId: 't-1' });
    expect(quote).toMatchObject({
      method: 'void',
      tender: 'cash',
      principalRefundFen: 100 * YUAN,
      bonusForfeitFen: 10 * YUAN,
      pointsForfeit: 100,
      balanceAfter: { principalFen: 0, bonusFen: 0, points: 0 },
    });
    expect(ledger.operation('refund:t-1')).toBeUndefined();
  });

  it('reverses a top-up that is still the last operation exactly, once, with a manager', () => {
    const { ledger, promotions } = toppedUp();
    expect(
      codeOf(() => promotions.refundTopUp({ ...refund, approvedBy: cashier, topUpOperationId: 't-1' })),
    ).toBe('APPROVER_NOT_MANAGER');
    const done = promotions.refundTopUp({ ...refund, topUpOperationId: 't-1' });
    expect(done.operations).toEqual(['refund:t-1']);
    expect(ledger.balance(card)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(codeOf(() => promotions.refundTopUp({ ...refund, topUpOperationId: 't-1' }))).toBe(
      'OPERATION_NOT_REFUNDABLE',
    );
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('after spending, pays back what is left of the principal and forfeits the bonus when nothing else is left', () => {
    const { ledger, promotions } = toppedUp();
    ledger.spend({ operationId: 's-1', cardId: card, amountFen: 30 * YUAN, staffId: cashier, terminalId });
    const quote = promotions.quoteTopUpRefund({ topUpOperationId: 't-1' });
    expect(quote).toMatchObject({
      method: 'withdraw',
      principalRefundFen: 70 * YUAN,
      bonusForfeitFen: 10 * YUAN,
    });
    const done = promotions.refundTopUp({ ...refund, topUpOperationId: 't-1', expected: quote });
    expect(done.operations).toEqual(['refund:t-1', 'refund:t-1:bonus']);
    expect(ledger.balance(card)).toMatchObject({ principalFen: 0, bonusFen: 0 });
    expect(ledger.operation('refund:t-1')).toMatchObject({
      kind: 'withdraw',
      amountFen: 70 * YUAN,
      tender: 'cash',
    });
  });

  it('forfeits the bonus into breakage even while other principal stays, unless a manager lets the member keep it', () => {
    const { ledger, promotions } = toppedUp();
    topUp(promotions, 't-2', 50 * YUAN);
    const breakage = () => storeAccountNet(ledger, 'breakage');
    const revenue = () => storeAccountNet(ledger, 'stored_value_revenue');
    const revenueBefore = revenue();
    const shown = promotions.quoteTopUpRefund({ topUpOperationId: 't-1' });
    expect(shown).toMatchObject({ principalRefundFen: 100 * YUAN, bonusForfeitFen: 10 * YUAN });
    const done = promotions.refundTopUp({ ...refund, topUpOperationId: 't-1', expected: shown });
    expect(done.operations).toEqual(['refund:t-1', 'refund:t-1:bonus']);
    expect(ledger.operation('refund:t-1:bonus')).toMatchObject({ kind: 'forfeit', bonusFen: 10 * YUAN });
    expect(ledger.balance(card)).toMatchObject({ principalFen: 50 * YUAN, bonusFen: 0 });
    expect(breakage()).toBe(10 * YUAN);
    expect(revenue()).toBe(revenueBefore);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('lets a manager decide the member keeps the bonus: principal only comes back', () => {
    const { ledger, promotions } = toppedUp();
    topUp(promotions, 't-2', 50 * YUAN);
    const kept = promotions.refundTopUp({ ...refund, topUpOperationId: 't-1', keepBonus: true });
    expect(kept).toMatchObject({ principalRefundFen: 100 * YUAN, bonusForfeitFen: 0 });
    expect(ledger.balance(card)).toMatchObject({ principalFen: 50 * YUAN, bonusFen: 10 * YUAN });
  });

  it('refuses when the shown arithmetic is no longer right', () => {
    const { ledger, promotions } = toppedUp();
    const shown = promotions.quoteTopUpRefund({ topUpOperationId: 't-1' });
    ledger.spend({ operationId: 's-1', cardId: card, amountFen: 100 * YUAN, staffId: cashier, terminalId });
    expect(
      codeOf(() => promotions.refundTopUp({ ...refund, topUpOperationId: 't-1', expected: shown })),
    ).toBe('QUOTE_CHANGED');
  });
});

/** Credits less debits on one of the demo store's own accounts. */
function storeAccountNet(ledger: { sqlite: import('../../../db').Database }, kind: string): number {
  const row = ledger.sqlite
    .prepare<[string, string], { net: number }>(
      `SELECT b.credits - b.debits AS net FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.store_id = ? AND a.card_id IS NULL AND a.kind = ?`,
    )
    .get(DEMO.storeId, kind);
  return row?.net ?? 0;
}
