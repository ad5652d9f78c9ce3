/** Money onto a card: the tender paid in becomes principal, with any bonus and points the rules granted. */
import { tenderAccountKind } from '../accounts';
import { optionalText } from '../context';
import { checkAmount, checkNonNegative } from '../money';
import type { OperationResult, TopUpInput } from '../types';
import { type OperationKit, requireActive, tenderOf } from './kit';
import { legsOnly, planFor } from './plan';

export function topUpOperations(kit: OperationKit) {
  const { directory } = kit;
  return {
    topUp(input: TopUpInput): OperationResult {
      const fields = [
        input.cardId,
        input.amountFen,
        input.tender,
        input.tenderReference ?? null,
        input.bonusFen,
        input.points,
        input.staffId,
        input.terminalId,
      ];
      return kit.perform('top_up', input, fields, () => {
        const actors = kit.actors(input);
        const { store } = actors;
        const amount = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const bonus = checkNonNegative(input.bonusFen, 'bonusFen', store.single_operation_limit_fen);
        const points = checkNonNegative(input.points, 'points');
        const tender = tenderOf(input.tender);
        const tenderReference = optionalText(input.tenderReference, 'tenderReference', 128);
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const accounts = kit.cardAccounts(card);
        return planFor('top_up', actors, accounts, {
          amountFen: amount,
          principalFen: amount,
          bonusFen: bonus,
          points,
          tender,
          tenderReference,
          legs: legsOnly([
            { debit: kit.storeAccount(store, tenderAccountKind(tender)), credit: accounts.principal, amount },
            { debit: kit.storeAccount(store, 'bonus_expense'), credit: accounts.bonus, amount: bonus },
            { debit: kit.storeAccount(store, 'points_issued'), credit: accounts.points, amount: points },
          ]),
        });
      });
    },
  };
}
