/**
 * A charge to a card: the card pays from principal and bonus by the store's spend policy, another tender may
 * pay part of it (split payment), and points may be earned on it or redeemed against it.
 */
import { tenderAccountKind } from '../accounts';
import { optionalText } from '../context';
import { LedgerError } from '../errors';
import { checkAmount, checkNonNegative, splitSpend } from '../money';
import type { OperationResult, SpendInput } from '../types';
import { type OperationKit, requireActive, tenderOf } from './kit';
import { legsOnly, planFor } from './plan';
import { balanceOf } from './writer';

export function spendOperations(kit: OperationKit) {
  const { directory } = kit;
  return {
    spend(input: SpendInput): OperationResult {
      const fields: unknown[] = [
        input.cardId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.memo ?? null,
      ];
      // Points joined the request later: a charge without them keeps the fingerprint it always had.
      const earned = input.pointsEarned ?? 0;
      const redeemed = input.pointsRedeemed ?? 0;
      if (earned !== 0 || redeemed !== 0) fields.push(earned, redeemed);
      // So did approvals: an unapproved charge keeps its fingerprint too.
      if (input.approvedBy) fields.push(input.approvedBy);
      // And split payment: a charge the card pays alone keeps its fingerprint.
      const other = input.otherTender ?? null;
      if (other !== null) fields.push(other.tender, other.amountFen, other.reference);
      return kit.perform('spend', input, fields, () => {
        const actors = kit.actors(input);
        const { store } = actors;
        const approver = kit.approverIf(input.approvedBy);
        const total = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const otherTender = other === null ? null : tenderOf(other.tender);
        const otherFen = other === null ? 0 : checkAmount(other.amountFen, total, 'otherTender.amountFen');
        if (otherFen >= total) {
          throw new LedgerError('AMOUNT_INVALID', 'a split payment leaves part of the charge to the card', {
            details: { amountFen: total, otherFen },
          });
        }
        const otherReference = optionalText(other?.reference, 'otherTender.reference', 128);
        // What the card pays: all of it, or what the other tender does not.
        const amount = total - otherFen;
        const memo = optionalText(input.memo, 'memo');
        const pointsEarned = checkNonNegative(earned, 'pointsEarned');
        const pointsRedeemed = checkNonNegative(redeemed, 'pointsRedeemed');
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const accounts = kit.cardAccounts(card);
        const held = balanceOf(accounts);
        if (held.points < pointsRedeemed) {
          throw new LedgerError('POINTS_INSUFFICIENT', 'the card does not hold that many points', {
            details: { cardId: card.id, points: held.points, pointsRedeemed },
          });
        }
        if (held.principalFen + held.bonusFen < amount) {
          throw new LedgerError('BALANCE_INSUFFICIENT', 'the card does not hold enough for this purchase', {
            details: { cardId: card.id, amountFen: amount, availableFen: held.principalFen + held.bonusFen },
          });
        }
        const split = splitSpend(amount, held.principalFen, held.bonusFen, store.spend_policy);
        const revenue = kit.storeAccount(store, 'stored_value_revenue');
        const pointsIssued = kit.storeAccount(store, 'points_issued');
        return planFor('spend', actors, accounts, {
          approver,
          amountFen: total,
          principalFen: split.principalFen,
          bonusFen: split.bonusFen,
          // The card's net points movement: earned on this charge less redeemed against it.
          points: pointsEarned - pointsRedeemed,
          tender: otherTender,
          tenderReference: otherReference,
          memo,
          legs: legsOnly([
            { debit: accounts.principal, credit: revenue, amount: split.principalFen },
            { debit: accounts.bonus, credit: revenue, amount: split.bonusFen },
            // The other tender's leg of a split payment (none when the card pays it all).
            otherTender === null
              ? null
              : {
                  debit: kit.storeAccount(store, tenderAccountKind(otherTender)),
                  credit: revenue,
                  amount: otherFen,
                },
            { debit: accounts.points, credit: pointsIssued, amount: pointsRedeemed },
            { debit: pointsIssued, credit: accounts.points, amount: pointsEarned },
          ]),
        });
      });
    },
  };
}
