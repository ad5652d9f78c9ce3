/**
 * Operations that undo an earlier one: a refund of (part of) a spend back to the card, and a void that
 * reverses every leg of a card's last money operation.
 */
import { type Context, optionalText, requireText } from '../context';
import { LedgerError } from '../errors';
import { checkAmount, splitRefund } from '../money';
import type { OperationKind, OperationResult, RefundInput, Unit, VoidInput } from '../types';
import { type OperationKit, requireActive } from './kit';
import { legsOnly, planFor } from './plan';

const VOIDABLE: readonly OperationKind[] = ['top_up', 'spend', 'refund', 'withdraw', 'points_redeem'];

export function reversalOperations(ctx: Context, kit: OperationKit) {
  const { db } = ctx;
  const { directory } = kit;
  const q = {
    legsOf: db.prepare<
      [number],
      {
        debit_id: number;
        debit_code: string;
        credit_id: number;
        credit_code: string;
        unit: Unit;
        amount: number;
      }
    >(
      `SELECT t.debit_account_id AS debit_id, d.code AS debit_code, t.credit_account_id AS credit_id,
              c.code AS credit_code, d.unit AS unit, t.amount
       FROM transfers t JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id
       WHERE t.operation_seq = ? ORDER BY t.id`,
    ),
    lastMoneyOperation: db.prepare<[string, string], { seq: number | null }>(
      `SELECT MAX(seq) AS seq FROM (
         SELECT MAX(seq) AS seq FROM operations WHERE card_id = ? AND kind != 'card_state'
         UNION ALL
         SELECT MAX(seq) AS seq FROM operations WHERE counterpart_card_id = ?)`,
    ),
    voidOf: db.prepare<[string], { id: string }>(
      `SELECT id FROM operations WHERE target_operation_id = ? AND kind = 'void' LIMIT 1`,
    ),
    refundedSoFar: db.prepare<[string], { amount: number; bonus: number }>(
      `SELECT COALESCE(SUM(r.amount_fen), 0) AS amount, COALESCE(SUM(r.bonus_fen), 0) AS bonus
       FROM operations r
       WHERE r.target_operation_id = ? AND r.kind = 'refund'
         AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = r.id AND v.kind = 'void')`,
    ),
  };

  function knownOperation(operationId: string) {
    const found = kit.operation(operationId);
    if (!found) {
      throw new LedgerError('OPERATION_UNKNOWN', 'no such operation', { details: { operationId } });
    }
    return found;
  }

  return {
    refund(input: RefundInput): OperationResult {
      const fields = [
        input.originalOperationId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.memo ?? null,
      ];
      return kit.perform('refund', input, fields, () => {
        const actors = kit.actors(input);
        const approver = directory.approver(input.approvedBy);
        const amount = checkAmount(input.amountFen, actors.store.single_operation_limit_fen);
        const memo = optionalText(input.memo, 'memo');
        const original = knownOperation(requireText(input.originalOperationId, 'originalOperationId', 64));
        if (original.kind !== 'spend' || q.voidOf.get(original.id)) {
          throw new LedgerError(
            'OPERATION_NOT_REFUNDABLE',
            'only a spend that was not voided can be refunded',
            {
              details: { operationId: original.id, kind: original.kind },
            },
          );
        }
        const refunded = q.refundedSoFar.get(original.id) ?? { amount: 0, bonus: 0 };
        // A refund goes back to the card, so at most what the card paid: of a split payment, the other
        // tender's part goes back only with a void of the whole charge.
        const cardPaid = original.principal_fen + original.bonus_fen;
        if (refunded.amount + amount > cardPaid) {
          throw new LedgerError(
            'REFUND_EXCEEDS_ORIGINAL',
            'the refund is more than what is left of the purchase',
            {
              details: { operationId: original.id, refundableFen: cardPaid - refunded.amount },
            },
          );
        }
        const card = directory.cardRow(original.card_id);
        requireActive(card);
        const accounts = kit.cardAccounts(card);
        const split = splitRefund(
          amount,
          { principalFen: original.principal_fen, bonusFen: original.bonus_fen },
          { amountFen: refunded.amount, bonusFen: refunded.bonus },
        );
        // Back out of the revenue of the store that made the sale, which may not be this one.
        const revenue = kit.storeAccount(directory.storeRow(original.store_id), 'stored_value_revenue');
        return planFor('refund', actors, accounts, {
          approver,
          targetOperationId: original.id,
          amountFen: amount,
          principalFen: split.principalFen,
          bonusFen: split.bonusFen,
          memo,
          legs: legsOnly([
            { debit: revenue, credit: accounts.principal, amount: split.principalFen },
            { debit: revenue, credit: accounts.bonus, amount: split.bonusFen },
          ]),
        });
      });
    },

    voidOperation(input: VoidInput): OperationResult {
      const fields = [
        input.targetOperationId,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.reason ?? null,
      ];
      return kit.perform('void', input, fields, () => {
        const actors = kit.actors(input);
        const approver = directory.approver(input.approvedBy);
        const reason = optionalText(input.reason, 'reason');
        const target = knownOperation(requireText(input.targetOperationId, 'targetOperationId', 64));
        if (!VOIDABLE.includes(target.kind)) {
          throw new LedgerError('VOID_NOT_ALLOWED', `a ${target.kind} operation cannot be voided`, {
            details: { operationId: target.id, kind: target.kind },
          });
        }
        if (q.voidOf.get(target.id)) {
          throw new LedgerError('OPERATION_ALREADY_VOIDED', 'this operation is already voided', {
            details: { operationId: target.id },
          });
        }
        const card = directory.cardRow(target.card_id);
        const last = q.lastMoneyOperation.get(card.id, card.id)?.seq ?? null;
        if (last !== target.seq) {
          throw new LedgerError('VOID_NOT_LAST', 'only the last operation on a card can be voided', {
            details: { operationId: target.id, cardId: card.id },
          });
        }
        requireActive(card);
        // Every leg of the target, debit and credit swapped.
        const legs = q.legsOf.all(target.seq).map((leg) => ({
          debit: { id: leg.credit_id, code: leg.credit_code, unit: leg.unit },
          credit: { id: leg.debit_id, code: leg.debit_code, unit: leg.unit },
          amount: leg.amount,
        }));
        return planFor('void', actors, kit.cardAccounts(card), {
          approver,
          targetOperationId: target.id,
          amountFen: target.amount_fen,
          principalFen: target.principal_fen,
          bonusFen: target.bonus_fen,
          points: target.points,
          tender: target.tender,
          tenderReference: target.tender_reference,
          memo: reason,
          legs,
        });
      });
    },
  };
}
