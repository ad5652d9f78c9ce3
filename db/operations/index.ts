/**
 * The money operations. Each one is a single SQLite transaction that writes the operation row, its
 * transfers, the balance rows they move, an audit line and an outbox row — or, when refused, nothing but a
 * rejected audit line. Each is idempotent on the caller's operation id: replaying the same request returns
 * the first result; the same id with different content is IDEMPOTENCY_CONFLICT.
 */
import type { Accounts } from '../accounts';
import type { Context } from '../context';
import type { Directory } from '../directory';
import { bonusAndPointsOperations } from './bonus-and-points';
import { cardChangeOperations } from './card-changes';
import { operationKit } from './kit';
import { reversalOperations } from './reversals';
import { spendOperations } from './spend';
import { topUpOperations } from './top-up';
import { withdrawOperations } from './withdraw';
import { balanceOf } from './writer';

export type { CardAccounts } from './plan';

export function operationsModule(ctx: Context, accounts: Accounts, directory: Directory) {
  const kit = operationKit(ctx, accounts, directory);
  return {
    ...topUpOperations(kit),
    ...spendOperations(kit),
    ...bonusAndPointsOperations(kit),
    ...reversalOperations(ctx, kit),
    ...withdrawOperations(kit),
    ...cardChangeOperations(kit),
    cardAccounts: kit.cardAccounts,
    balanceOf,
  };
}

export type Operations = ReturnType<typeof operationsModule>;
