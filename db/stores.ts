/** The stores a ledger knows: each with its currency, time zone, day-close hour, spend policy and limit. */
import type { Accounts } from './accounts';
import { isValidTimeZone } from './business-day';
import { type Context, guarded, requireText } from './context';
import { LedgerError } from './errors';
import { checkAmount } from './money';
import { type StoreRow, toStore } from './rows';
import { type CreateStoreInput, SPEND_POLICIES, type Store } from './types';

export function storesModule(ctx: Context, accounts: Accounts) {
  const { db } = ctx;
  const q = {
    store: db.prepare<[string], StoreRow>('SELECT * FROM stores WHERE id = ?'),
    insertStore: db.prepare<[StoreRow]>(
      `INSERT INTO stores (id, name, currency, time_zone, day_close_hour, spend_policy, single_operation_limit_fen, created_at)
       VALUES (@id, @name, @currency, @time_zone, @day_close_hour, @spend_policy, @single_operation_limit_fen, @created_at)`,
    ),
  };

  function storeRow(storeId: string): StoreRow {
    const row = q.store.get(storeId);
    if (!row) throw new LedgerError('STORE_UNKNOWN', 'no such store', { details: { storeId } });
    return row;
  }

  return {
    storeRow,

    createStore(input: CreateStoreInput): Store {
      return guarded(ctx, 'store.create', {}, () => {
        const id = requireText(input.id, 'id');
        const name = requireText(input.name, 'name');
        const currency = input.currency === undefined ? 'CNY' : requireText(input.currency, 'currency', 3);
        if (!isValidTimeZone(input.timeZone)) {
          throw new LedgerError('INPUT_INVALID', 'timeZone must be an IANA time zone', {
            details: { timeZone: input.timeZone },
          });
        }
        if (!Number.isInteger(input.dayCloseHour) || input.dayCloseHour < 0 || input.dayCloseHour > 23) {
          throw new LedgerError('INPUT_INVALID', 'dayCloseHour must be an hour from 0 to 23');
        }
        if (!SPEND_POLICIES.includes(input.spendPolicy)) {
          throw new LedgerError('INPUT_INVALID', 'unknown spend policy', {
            details: { spendPolicy: input.spendPolicy },
          });
        }
        const limit = checkAmount(
          input.singleOperationLimitFen,
          Number.MAX_SAFE_INTEGER,
          'singleOperationLimitFen',
        );
        if (q.store.get(id))
          throw new LedgerError('ID_TAKEN', 'a store with this id exists', { details: { id } });
        const at = ctx.now();
        q.insertStore.run({
          id,
          name,
          currency,
          time_zone: input.timeZone,
          day_close_hour: input.dayCloseHour,
          spend_policy: input.spendPolicy,
          single_operation_limit_fen: limit,
          created_at: at,
        });
        accounts.createStoreAccounts(id);
        ctx.audit({ at, action: 'store.create', outcome: 'ok', details: { storeId: id } });
        return toStore(storeRow(id));
      });
    },

    store(storeId: string): Store | undefined {
      const row = q.store.get(storeId);
      return row ? toStore(row) : undefined;
    },
  };
}

export type Stores = ReturnType<typeof storesModule>;
