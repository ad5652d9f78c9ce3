/** Principal paid out of a card (提现) through a tender; bonus is never paid out. */
import { tenderAccountKind } from '../accounts';
import { optionalText } from '../context';
import { LedgerError } from '../errors';
import { checkAmount } from '../money';
import type { OperationResult, WithdrawInput } from '../types';
import { type OperationKit, requireActive, tenderOf } from './kit';
import { planFor } from './plan';
import { balanceOf } from './writer';

export function withdrawOperations(kit: OperationKit) {
  const { directory } = kit;
  return {
    withdraw(input: WithdrawInput): OperationResult {
      const fields = [
        input.cardId,
        input.amountFen,
        input.tender,
        input.tenderReference ?? null,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
      ];
      return kit.perform('withdraw', input, fields, () => {
        const actors = kit.actors(input);
        const { store } = actors;
        const approver = directory.approver(input.approvedBy);
        const amount = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const tender = tenderOf(input.tender);
        const tenderReference = optionalText(input.tenderReference, 'tenderReference', 128);
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const accounts = kit.cardAccounts(card);
        const held = balanceOf(accounts);
        if (held.principalFen < amount) {
          throw new LedgerError(
            'BALANCE_INSUFFICIENT',
            'only principal can be withdrawn, and the card holds less',
            {
              details: { cardId: card.id, amountFen: amount, principalFen: held.principalFen },
            },
          );
        }
        return planFor('withdraw', actors, accounts, {
          approver,
          amountFen: amount,
          principalFen: amount,
          tender,
          tenderReference,
          legs: [
            { debit: accounts.principal, credit: kit.storeAccount(store, tenderAccountKind(tender)), amount },
          ],
        });
      });
    },
  };
}
