/**
 * The chart of accounts. Every card has three (principal 本金, bonus 赠送金, points); every store has a cash
 * drawer, a clearing account per non-cash tender, bonus expense, stored-value revenue, breakage, and the
 * source of issued points. Balances are kept as posted debits and credits; a member account's balance is
 * credits − debits (money the store owes the member) and may never go below zero.
 */
import type { Context } from './context';
import type { Tender, Unit } from './types';

export type CardAccountKind = 'card_principal' | 'card_bonus' | 'card_points';
export type StoreAccountKind =
  | 'cash_drawer'
  | 'clearing_wechat'
  | 'clearing_alipay'
  | 'clearing_unionpay'
  | 'clearing_bank_transfer'
  | 'bonus_expense'
  | 'stored_value_revenue'
  | 'breakage'
  | 'points_issued';

const STORE_ACCOUNTS: ReadonlyArray<{ kind: StoreAccountKind; unit: Unit }> = [
  { kind: 'cash_drawer', unit: 'fen' },
  { kind: 'clearing_wechat', unit: 'fen' },
  { kind: 'clearing_alipay', unit: 'fen' },
  { kind: 'clearing_unionpay', unit: 'fen' },
  { kind: 'clearing_bank_transfer', unit: 'fen' },
  { kind: 'bonus_expense', unit: 'fen' },
  { kind: 'stored_value_revenue', unit: 'fen' },
  { kind: 'breakage', unit: 'fen' },
  { kind: 'points_issued', unit: 'points' },
];

const CARD_ACCOUNTS: ReadonlyArray<{ kind: CardAccountKind; unit: Unit }> = [
  { kind: 'card_principal', unit: 'fen' },
  { kind: 'card_bonus', unit: 'fen' },
  { kind: 'card_points', unit: 'points' },
];

/** Cash goes straight into the drawer; every other tender settles through its clearing account. */
export function tenderAccountKind(tender: Tender): StoreAccountKind {
  return tender === 'cash' ? 'cash_drawer' : `clearing_${tender}`;
}

export type StoreAccounts = Record<StoreAccountKind, number>;
export interface CardAccounts {
  principal: number;
  bonus: number;
  points: number;
}

export function accountsModule(ctx: Context) {
  const insertAccount = ctx.db.prepare(
    'INSERT INTO accounts (code, kind, unit, store_id, card_id) VALUES (?, ?, ?, ?, ?) RETURNING id',
  );
  const insertBalance = ctx.db.prepare(
    'INSERT INTO balances (account_id, debits, credits, no_overdraft) VALUES (?, 0, 0, ?)',
  );
  const storeAccountRows = ctx.db.prepare<[string], { id: number; kind: StoreAccountKind }>(
    'SELECT id, kind FROM accounts WHERE store_id = ? AND card_id IS NULL',
  );
  const storeCache = new Map<string, StoreAccounts>();

  function create(
    code: string,
    kind: string,
    unit: Unit,
    storeId: string,
    cardId: string | null,
    noOverdraft: boolean,
  ) {
    const { id } = insertAccount.get(code, kind, unit, storeId, cardId) as { id: number };
    insertBalance.run(id, noOverdraft ? 1 : 0);
    return id;
  }

  return {
    createStoreAccounts(storeId: string): void {
      for (const { kind, unit } of STORE_ACCOUNTS)
        create(`store:${storeId}:${kind}`, kind, unit, storeId, null, false);
    },
    createCardAccounts(storeId: string, cardId: string): void {
      for (const { kind, unit } of CARD_ACCOUNTS)
        create(`card:${cardId}:${kind.slice(5)}`, kind, unit, storeId, cardId, true);
    },
    /** Store accounts never change once created, so they are looked up once per store. */
    storeAccounts(storeId: string): StoreAccounts {
      let accounts = storeCache.get(storeId);
      if (accounts === undefined) {
        const found = {} as StoreAccounts;
        const rows = storeAccountRows.all(storeId);
        for (const row of rows) found[row.kind] = row.id;
        accounts = found;
        if (rows.length > 0) storeCache.set(storeId, accounts);
      }
      return accounts;
    },
  };
}

export type Accounts = ReturnType<typeof accountsModule>;
