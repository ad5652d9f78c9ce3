/**
 * Who and what the ledger knows: stores, terminals, staff, and members with their cards, each in its own
 * module, joined into the one face the ledger shows.
 */
import type { Accounts } from './accounts';
import type { Context } from './context';
import { membersAndCardsModule } from './members-and-cards';
import { staffModule } from './staff';
import { storesModule } from './stores';
import { terminalsModule } from './terminals';

export function directoryModule(ctx: Context, accounts: Accounts) {
  const stores = storesModule(ctx, accounts);
  const terminals = terminalsModule(ctx, stores);
  const people = staffModule(ctx, stores);
  return {
    ...stores,
    ...terminals,
    ...people,
    ...membersAndCardsModule(ctx, accounts, { stores, terminals, people }),
  };
}

export type Directory = ReturnType<typeof directoryModule>;
