/** A demo book with the member registry, promotions and loyalty opened on it, sharing the test's clock. */
import { openLoyalty } from '../../../db/loyalty/index';
import { openPromotions } from '../../../db/promotions/index';
import type { Ledger } from '../../../db/types';
import { memberLedger } from '../members/support';

export { cashier, closeAll, codeOf, DEMO, manager, terminalId } from '../db/support';

export const DAY = 86_400_000;
export const YUAN = 100;

export function loyaltyLedger() {
  const base = memberLedger();
  const promotions = openPromotions(base.ledger, { now: base.time.now });
  const loyalty = openLoyalty(base.ledger, { now: base.time.now });
  return { ...base, promotions, loyalty };
}

/** Credits less debits on one of a store's own accounts (breakage, revenue, points issued …). */
export function storeNet(ledger: Ledger, storeId: string, kind: string): number {
  const row = ledger.sqlite
    .prepare<[string, string], { net: number }>(
      `SELECT b.credits - b.debits AS net FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.store_id = ? AND a.card_id IS NULL AND a.kind = ?`,
    )
    .get(storeId, kind);
  return row?.net ?? 0;
}
