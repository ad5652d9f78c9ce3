/**
 * Points and bonus under random counter sequences: charges with points chosen at random, gifts, voids of the
 * last operation, lapses and forfeits. After every step the ledger's invariants hold (debits equal credits per
 * unit, no member account below zero), the card's points equal what the operations say, and bonus that left
 * by expiry or forfeit is exactly what the store's breakage holds.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cashier, closeAll, DEMO, loyaltyLedger, manager, storeNet, terminalId } from './support';

afterAll(closeAll);

const card = DEMO.cards.keyed.id;
const actor = { staffId: cashier, terminalId };

type Step =
  | { kind: 'topUp'; amountFen: number; bonusFen: number; points: number }
  | { kind: 'charge'; listPriceFen: number; share: number }
  | { kind: 'gift' }
  | { kind: 'void' }
  | { kind: 'forfeit'; share: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('topUp' as const),
    amountFen: fc.integer({ min: 1, max: 50_000 }),
    bonusFen: fc.integer({ min: 0, max: 5_000 }),
    points: fc.integer({ min: 0, max: 2_000 }),
  }),
  fc.record({
    kind: fc.constant('charge' as const),
    listPriceFen: fc.integer({ min: 1, max: 30_000 }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.constant({ kind: 'gift' as const }),
  fc.constant({ kind: 'void' as const }),
  fc.record({ kind: fc.constant('forfeit' as const), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

describe('points and bonus over random sequences', () => {
  it('keep the ledger balanced, points never below zero, and breakage equal to the bonus taken', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const { ledger, loyalty } = loyaltyLedger();
        loyalty.putGift({
          storeId: DEMO.storeId,
          gift: { id: 'mug', name: '杯', points: 300, active: true },
          staffId: manager,
        });
        let n = 0;
        const id = () => `op-${++n}`;
        let last: string | null = null;
        for (const s of steps) {
          const held = ledger.balance(card);
          try {
            if (s.kind === 'topUp') {
              last = ledger.topUp({
                ...actor,
                operationId: id(),
                cardId: card,
                tender: 'cash',
                ...s,
              }).operationId;
            } else if (s.kind === 'charge') {
              const quote = loyalty.quoteCharge({ cardId: card, listPriceFen: s.listPriceFen });
              const points = Math.floor(quote.maxRedeemablePoints * s.share);
              last = loyalty.charge({
                ...actor,
                operationId: id(),
                cardId: card,
                listPriceFen: s.listPriceFen,
                pointsToRedeem: points,
              }).operation.operationId;
            } else if (s.kind === 'gift') {
              if (held.points >= 300) {
                last = loyalty.redeemGift({ ...actor, operationId: id(), cardId: card, giftId: 'mug' })
                  .operation.operationId;
              }
            } else if (s.kind === 'void') {
              if (last !== null) {
                ledger.voidOperation({
                  ...actor,
                  operationId: id(),
                  targetOperationId: last,
                  approvedBy: manager,
                });
                last = null;
              }
            } else {
              const amount = Math.floor(held.bonusFen * s.share);
              if (amount > 0) {
                ledger.forfeitBonus({
                  ...actor,
                  operationId: id(),
                  kind: 'forfeit',
                  cardId: card,
                  amountFen: amount,
                });
                last = null;
              }
            }
          } catch (error) {
            // Only the refusals a counter can meet: not enough on the card, or a void that is no longer last.
            expect((error as { code?: string }).code).toMatch(
              /^(BALANCE_INSUFFICIENT|POINTS_INSUFFICIENT|VOID_NOT_LAST)$/,
            );
          }
          const report = ledger.checkInvariants();
          expect(report.problems).toEqual([]);
          const now = ledger.balance(card);
          expect(now.points).toBeGreaterThanOrEqual(0);
          const ops = ledger.operationsOf({ cardId: card, limit: 10_000 });
          // Each operation's points are the card's net movement; a void carries its target's and reverses them.
          const net = ops.reduce((sum, o) => sum + (o.kind === 'void' ? -o.points : o.points), 0);
          expect(now.points).toBe(net);
          const forfeited = ops
            .filter((o) => o.kind === 'forfeit' || o.kind === 'expiry')
            .reduce((sum, o) => sum + o.bonusFen, 0);
          expect(storeNet(ledger, DEMO.storeId, 'breakage')).toBe(forfeited);
        }
      }),
      { numRuns: 30 },
    );
  });
});
