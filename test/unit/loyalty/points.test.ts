import { afterAll, describe, expect, it } from 'vitest';
import { chargeArithmetic, checkPointsSettings, DEFAULT_POINTS_SETTINGS } from '../../../db/loyalty/index';
import {
  cashier,
  closeAll,
  codeOf,
  DEMO,
  loyaltyLedger,
  manager,
  storeNet,
  terminalId,
  YUAN,
} from './support';

afterAll(closeAll);

const card = DEMO.cards.keyed.id; // starts empty
const member = DEMO.members.keyed.id;
const actor = { staffId: cashier, terminalId };

function funded(amountFen = 500 * YUAN, points = 0) {
  const base = loyaltyLedger();
  base.ledger.topUp({
    ...actor,
    operationId: 'fund',
    cardId: card,
    amountFen,
    tender: 'cash',
    bonusFen: 0,
    points,
  });
  return base;
}

describe('the arithmetic of a charge', () => {
  const settings = { ...DEFAULT_POINTS_SETTINGS, fenPerPoint: 1, redeemStep: 100 };

  it('takes the tier discount off first, then the points, and earns on what the card pays', () => {
    const sums = chargeArithmetic({
      listPriceFen: 10_000,
      discountBp: 500,
      pointsToRedeem: 300,
      pointsHeld: 1_000,
      settings,
      tierId: null,
    });
    expect(sums).toEqual({
      discountFen: 500,
      pointsRedeemed: 300,
      pointsValueFen: 300,
      chargedFen: 9_200,
      pointsEarned: 92,
      maxRedeemablePoints: 1_000,
    });
  });

  it('earns at the tier’s own rate when the store set one', () => {
    const tiered = { ...settings, earnPerYuanByTier: { gold: 3 } };
    const base = { listPriceFen: 2_599, discountBp: 0, pointsToRedeem: 0, pointsHeld: 0, settings: tiered };
    expect(chargeArithmetic({ ...base, tierId: 'gold' }).pointsEarned).toBe(75);
    expect(chargeArithmetic({ ...base, tierId: 'silver' }).pointsEarned).toBe(25);
  });

  it('refuses points the card does not hold, more than the charge is worth, or off the redeem step', () => {
    const base = { listPriceFen: 1_000, discountBp: 0, pointsHeld: 5_000, settings, tierId: null };
    expect(codeOf(() => chargeArithmetic({ ...base, pointsToRedeem: 6_000 }))).toBe('POINTS_INSUFFICIENT');
    expect(codeOf(() => chargeArithmetic({ ...base, pointsToRedeem: 1_100 }))).toBe('POINTS_EXCEED_CHARGE');
    expect(codeOf(() => chargeArithmetic({ ...base, pointsToRedeem: 150 }))).toBe('AMOUNT_INVALID');
    expect(chargeArithmetic({ ...base, pointsToRedeem: 0 }).maxRedeemablePoints).toBe(1_000);
  });

  it('checks the store’s settings', () => {
    expect(codeOf(() => checkPointsSettings({ fenPerPoint: 0 }))).toBe('POINTS_SETTINGS_INVALID');
    expect(codeOf(() => checkPointsSettings({ earnPerYuan: -1 }))).toBe('POINTS_SETTINGS_INVALID');
    expect(checkPointsSettings({})).toEqual(DEFAULT_POINTS_SETTINGS);
  });
});

describe('charging with the tier discount and points', () => {
  it('earns points on a charge inside the same operation, balanced in points', () => {
    const { ledger, loyalty } = funded();
    const done = loyalty.charge({ ...actor, operationId: 'c-1', cardId: card, listPriceFen: 3_050 });
    expect(done.quote).toMatchObject({ chargedFen: 3_050, pointsEarned: 30, discountFen: 0 });
    expect(ledger.operation('c-1')).toMatchObject({ kind: 'spend', amountFen: 3_050, points: 30 });
    expect(ledger.balance(card).points).toBe(30);
    expect(storeNet(ledger, DEMO.storeId, 'points_issued')).toBe(
      -ledger.balance(card).points - pointsOnOtherCards(ledger),
    );
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('redeems the points the cashier chose as an amount off, and records the terms the counter showed', () => {
    const { ledger, loyalty } = funded(500 * YUAN, 1_000);
    loyalty.setPointsSettings({
      storeId: DEMO.storeId,
      settings: { fenPerPoint: 1, earnPerYuan: 1 },
      staffId: manager,
    });
    const shown = loyalty.quoteCharge({ cardId: card, listPriceFen: 5_000, pointsToRedeem: 800 });
    expect(shown).toMatchObject({
      pointsValueFen: 800,
      chargedFen: 4_200,
      pointsEarned: 42,
      maxRedeemablePoints: 1_000,
    });
    const done = loyalty.charge({
      ...actor,
      operationId: 'c-1',
      cardId: card,
      listPriceFen: 5_000,
      pointsToRedeem: 800,
      expected: shown,
    });
    expect(done.operation).toMatchObject({ amountFen: 4_200, points: 42 - 800 });
    expect(ledger.balance(card)).toMatchObject({
      principalFen: 500 * YUAN - 4_200,
      points: 1_000 - 800 + 42,
    });
    expect(loyalty.chargeTerms('c-1')).toMatchObject({
      listPriceFen: 5_000,
      pointsRedeemed: 800,
      chargedFen: 4_200,
    });
    expect(ledger.checkInvariants().ok).toBe(true);
    // The same id again: the first result, nothing doubled.
    const again = loyalty.charge({
      ...actor,
      operationId: 'c-1',
      cardId: card,
      listPriceFen: 5_000,
      pointsToRedeem: 800,
    });
    expect(again.operation.replayed).toBe(true);
    expect(ledger.balance(card).points).toBe(242);
  });

  it('a void gives back the points redeemed and takes back the points earned', () => {
    const { ledger, loyalty } = funded(500 * YUAN, 1_000);
    loyalty.charge({ ...actor, operationId: 'c-1', cardId: card, listPriceFen: 5_000, pointsToRedeem: 500 });
    ledger.voidOperation({ ...actor, operationId: 'v-1', targetOperationId: 'c-1', approvedBy: manager });
    expect(ledger.balance(card)).toEqual({ principalFen: 500 * YUAN, bonusFen: 0, points: 1_000 });
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('applies and records the member’s tier discount', () => {
    const { ledger, loyalty, promotions, members } = funded();
    promotions.defineTier({
      id: 'gold',
      storeId: DEMO.storeId,
      name: '金卡',
      rank: 1,
      basis: 'top_up',
      thresholdFen: 100 * YUAN,
      discountBp: 1_000,
      staffId: manager,
    });
    promotions.changeTier({ memberId: member, tierId: 'gold', reason: 'test', staffId: manager, terminalId });
    expect(members.profile(member)).toBeDefined();
    const done = loyalty.charge({ ...actor, operationId: 'c-1', cardId: card, listPriceFen: 3_899 });
    expect(done.quote).toMatchObject({ tierName: '金卡', discountFen: 389, chargedFen: 3_510 });
    expect(ledger.operation('c-1')).toMatchObject({ amountFen: 3_510, memo: 'tier discount 389 fen' });
    expect(loyalty.chargeTerms('c-1')).toMatchObject({ tierId: 'gold', discountBp: 1_000, discountFen: 389 });
  });

  it('refuses when the shown charge is no longer what would happen', () => {
    const { loyalty, ledger } = funded(500 * YUAN, 1_000);
    const shown = loyalty.quoteCharge({ cardId: card, listPriceFen: 5_000, pointsToRedeem: 0 });
    loyalty.setPointsSettings({ storeId: DEMO.storeId, settings: { earnPerYuan: 5 }, staffId: manager });
    expect(
      codeOf(() =>
        loyalty.charge({ ...actor, operationId: 'c-1', cardId: card, listPriceFen: 5_000, expected: shown }),
      ),
    ).toBe('QUOTE_CHANGED');
    expect(ledger.operation('c-1')).toBeUndefined();
  });

  it('only a manager changes the points settings', () => {
    const { loyalty } = loyaltyLedger();
    expect(
      codeOf(() =>
        loyalty.setPointsSettings({ storeId: DEMO.storeId, settings: { earnPerYuan: 2 }, staffId: cashier }),
      ),
    ).toBe('APPROVER_NOT_MANAGER');
    expect(loyalty.pointsSettings(DEMO.storeId).earnPerYuan).toBe(1);
  });

  it('points that pay the whole charge move only points', () => {
    const { ledger, loyalty } = funded(100 * YUAN, 5_000);
    const done = loyalty.charge({
      ...actor,
      operationId: 'c-1',
      cardId: card,
      listPriceFen: 1_200,
      pointsToRedeem: 1_200,
    });
    expect(done.operation).toMatchObject({ kind: 'points_redeem', amountFen: 0, points: -1_200 });
    expect(ledger.balance(card)).toMatchObject({ principalFen: 100 * YUAN, points: 3_800 });
  });
});

describe('gifts for points', () => {
  it('takes a gift from the catalogue for its points, once per operation id', () => {
    const { ledger, loyalty } = funded(100 * YUAN, 600);
    loyalty.putGift({
      storeId: DEMO.storeId,
      gift: { id: 'mug', name: '马克杯', points: 500, active: true },
      staffId: manager,
    });
    const done = loyalty.redeemGift({ ...actor, operationId: 'g-1', cardId: card, giftId: 'mug' });
    expect(done.operation).toMatchObject({ kind: 'points_redeem', points: -500 });
    expect(
      loyalty.redeemGift({ ...actor, operationId: 'g-1', cardId: card, giftId: 'mug' }).operation.replayed,
    ).toBe(true);
    expect(ledger.balance(card).points).toBe(100);
    expect(
      codeOf(() => loyalty.redeemGift({ ...actor, operationId: 'g-2', cardId: card, giftId: 'mug' })),
    ).toBe('POINTS_INSUFFICIENT');
    expect(
      codeOf(() => loyalty.redeemGift({ ...actor, operationId: 'g-3', cardId: card, giftId: 'none' })),
    ).toBe('GIFT_UNKNOWN');
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('needs a name and a positive price; an inactive gift cannot be taken', () => {
    const { loyalty } = funded(100 * YUAN, 600);
    expect(
      codeOf(() =>
        loyalty.putGift({
          storeId: DEMO.storeId,
          gift: { id: 'x', name: '', points: 5, active: true },
          staffId: manager,
        }),
      ),
    ).toBe('GIFT_INVALID');
    expect(
      codeOf(() =>
        loyalty.putGift({
          storeId: DEMO.storeId,
          gift: { id: 'x', name: 'x', points: 0, active: true },
          staffId: manager,
        }),
      ),
    ).toBe('GIFT_INVALID');
    loyalty.putGift({
      storeId: DEMO.storeId,
      gift: { id: 'pen', name: '笔', points: 10, active: false },
      staffId: manager,
    });
    expect(
      codeOf(() => loyalty.redeemGift({ ...actor, operationId: 'g-1', cardId: card, giftId: 'pen' })),
    ).toBe('GIFT_UNKNOWN');
  });
});

/** Points the demo seed put on its other cards (the points-issued account carries all of them). */
function pointsOnOtherCards(ledger: ReturnType<typeof loyaltyLedger>['ledger']): number {
  let sum = 0;
  for (const c of Object.values(DEMO.cards)) if (c.id !== card) sum += ledger.balance(c.id).points;
  return sum;
}
