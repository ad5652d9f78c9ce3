/**
 * Well-formed and malformed calls of the bonus-rule, points, notice and export commands, for the contract
 * test. `prepare` writes a rule the change and retire calls work on and a one-point gift.
 */
import { ulid } from 'ulid';
import { DEMO } from '../../../db';
import { openLoyalty } from '../../../db/loyalty/index';
import { openPromotions } from '../../../db/promotions/index';
import type { RuleCommandName } from '../../../electron/contract/names';
import type { Host } from '../../../electron/host/compose';

const terms = { name: '充100送10', steps: [{ minFen: 10_000, bonusFen: 1_000 }], validFrom: 0 };

export function ruleCalls(host: () => Host) {
  let retiring = 0;
  // Top-ups made in prepare(): a well-formed refund call takes the next one (a call must not write anything
  // itself, since the refusal cases count operations around it).
  const topUps: string[] = [];
  let nextTopUp = 0;
  const takeTopUp = () => topUps[nextTopUp++ % topUps.length] as string;
  const manager = DEMO.staff.manager.id;
  const valid: Record<RuleCommandName, () => unknown> = {
    'rules.list': () => ({}),
    'rules.versions': () => ({ id: 'contract-rule' }),
    'rules.create': () => ({ terms }),
    'rules.change': () => ({ id: 'contract-rule', terms: { ...terms, bonusExpiryDays: 30 } }),
    'rules.retire': () => {
      retiring += 1;
      const id = `contract-retire-${retiring}`;
      openPromotions(host().ledger).createRule({ id, storeId: DEMO.storeId, terms, staffId: manager });
      return { id };
    },
    'rules.runExpiry': () => ({}),
    'points.settings': () => ({}),
    'points.setSettings': () => ({ earnPerYuan: 1 }),
    'points.putGift': () => ({ gift: { id: 'contract-gift', name: '贴纸', points: 1, active: true } }),
    'points.quoteCharge': () => ({ cardId: DEMO.cards.uid.id, listPriceFen: 1_000, pointsToRedeem: 100 }),
    'points.redeemGift': () => ({ operationId: ulid(), cardId: DEMO.cards.uid.id, giftId: 'contract-gift' }),
    'notices.settings': () => ({}),
    'notices.setSettings': () => ({ member: { provider: 'file' }, crm: null }),
    'notices.optIn': () => ({ memberId: DEMO.members.uid.id }),
    'notices.setOptIn': () => ({ memberId: DEMO.members.uid.id, topUp: true, spend: true }),
    'export.members': () => ({ format: 'csv' }),
    'export.operations': () => ({ format: 'csv', fromDay: '2026-01-01', toDay: '2026-12-31' }),
    'refunds.topUps': () => ({ cardNumber: DEMO.cards.keyed.cardNumber }),
    'refunds.quote': () => ({ topUpOperationId: topUps[0] }),
    'refunds.topUp': () => {
      const topUpOperationId = takeTopUp();
      const quote = openPromotions(host().ledger).quoteTopUpRefund({ topUpOperationId });
      return {
        topUpOperationId,
        expected: { principalRefundFen: quote.principalRefundFen, bonusForfeitFen: quote.bonusForfeitFen },
      };
    },
  };

  const op = ulid();
  const malformed: Record<RuleCommandName, unknown[]> = {
    'rules.list': [],
    'rules.versions': [{}, { id: '' }],
    'rules.create': [
      {},
      { terms: { ...terms, validFrom: -1 } },
      { terms: { ...terms, percentBp: 10_001 } },
      { id: 'Bad Id', terms },
    ],
    'rules.change': [
      { id: 'contract-rule' },
      { id: 'contract-rule', terms: { ...terms, bonusExpiryDays: 0 } },
    ],
    'rules.retire': [{}, { id: 42 }],
    'rules.runExpiry': [],
    'points.settings': [],
    'points.setSettings': [{ fenPerPoint: 0 }, { earnPerYuan: -1 }, { redeemStep: 1.5 }],
    'points.putGift': [
      {},
      { gift: { id: 'x', name: 'x', points: 0, active: true } },
      { gift: { id: 'x', name: '', points: 1, active: true } },
    ],
    'points.quoteCharge': [
      { cardId: DEMO.cards.uid.id },
      { cardId: DEMO.cards.uid.id, listPriceFen: 100, pointsToRedeem: -1 },
    ],
    'points.redeemGift': [
      { operationId: 'x', cardId: DEMO.cards.uid.id, giftId: 'g' },
      { operationId: op, cardId: DEMO.cards.uid.id },
    ],
    'notices.settings': [],
    'notices.setSettings': [
      { member: { provider: 'sms' }, crm: null },
      { member: { provider: 'webhook', url: 'not a url', secret: 'x'.repeat(16) }, crm: null },
      { member: { provider: 'file' }, crm: { url: 'https://crm.example/hook', secret: 'short' } },
    ],
    'notices.optIn': [{}, { memberId: '' }],
    'notices.setOptIn': [
      { memberId: DEMO.members.uid.id, topUp: true },
      { memberId: DEMO.members.uid.id, topUp: 'yes', spend: false },
    ],
    'export.members': [{}, { format: 'pdf' }],
    'export.operations': [{ format: 'csv' }, { format: 'csv', fromDay: '2026-1-1', toDay: '2026-12-31' }],
    'refunds.topUps': [{}, { cardNumber: '12' }],
    'refunds.quote': [
      {},
      { topUpOperationId: '', keepBonus: false },
      { topUpOperationId: 'x', keepBonus: 'no' },
    ],
    'refunds.topUp': [
      { topUpOperationId: 'x' },
      { topUpOperationId: 'x', expected: { principalRefundFen: 100, bonusForfeitFen: 1.5 } },
    ],
  };

  return {
    valid,
    malformed,
    prepare(): void {
      for (let i = 0; i < 12; i++) {
        const operationId = ulid();
        host().ledger.topUp({
          operationId,
          cardId: DEMO.cards.keyed.id,
          amountFen: 100,
          tender: 'wechat',
          tenderReference: `WX-${i}`,
          bonusFen: 10,
          points: 0,
          staffId: DEMO.staff.cashier.id,
          terminalId: DEMO.terminalId,
        });
        topUps.push(operationId);
      }
      openPromotions(host().ledger).createRule({
        id: 'contract-rule',
        storeId: DEMO.storeId,
        terms,
        staffId: manager,
      });
      openLoyalty(host().ledger).putGift({
        storeId: DEMO.storeId,
        gift: { id: 'contract-gift', name: '贴纸', points: 1, active: true },
        staffId: manager,
      });
    },
  };
}
