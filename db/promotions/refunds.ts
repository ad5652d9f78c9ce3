/**
 * Refunding a top-up (退卡/退款): the member gets the principal back in the top-up's tender; the bonus that
 * came with it is forfeited unless a manager decides the member keeps it. The quote is the arithmetic the
 * screen and the slip show before the manager confirms.
 *
 * When the top-up is still the last money operation on the card, the refund is the ledger's void: principal,
 * bonus and points are reversed exactly. Otherwise what is left of the principal is withdrawn and what is
 * left of the bonus is forfeited into the store's breakage (never revenue), unless the manager lets the
 * member keep it.
 */

import type { AuditWriter } from '../members';
import type { Balance, Ledger, OperationSummary, Tender } from '../types';
import { PromotionError } from './errors';

export interface TopUpRefundRequest {
  topUpOperationId: string;
  /** A manager's decision that the member keeps the bonus of this top-up. */
  keepBonus?: boolean;
}

export interface TopUpRefundQuote {
  topUpOperationId: string;
  cardId: string;
  tender: Tender;
  method: 'void' | 'withdraw';
  principalRefundFen: number;
  bonusForfeitFen: number;
  pointsForfeit: number;
  balanceBefore: Balance;
  balanceAfter: Balance;
}

export interface TopUpRefundInput extends TopUpRefundRequest {
  staffId: string;
  terminalId: string;
  approvedBy: string;
  reason?: string | null;
  /** The quote the manager confirmed; refused with QUOTE_CHANGED if the arithmetic is now different. */
  expected?: Pick<TopUpRefundQuote, 'principalRefundFen' | 'bonusForfeitFen'> | null;
}

export interface TopUpRefundResult extends TopUpRefundQuote {
  /** Ledger operation ids written. */
  operations: string[];
}

/** The refund of a top-up uses ids derived from the top-up, so the same top-up cannot be refunded twice. */
export function refundIds(topUpOperationId: string) {
  return { main: `refund:${topUpOperationId}`, forfeit: `refund:${topUpOperationId}:bonus` };
}

export function topUpRefunds(ledger: Ledger, now: () => number, audit: AuditWriter) {
  function topUpOf(operationId: unknown): OperationSummary & { cardId: string; tender: Tender } {
    const op = typeof operationId === 'string' ? ledger.operation(operationId) : undefined;
    if (op?.kind !== 'top_up' || op.cardId === null || op.tender === null) {
      throw new PromotionError('OPERATION_NOT_REFUNDABLE', 'only a top-up can be refunded this way', {
        details: { operationId },
      });
    }
    if (op.voidedBy !== null) {
      throw new PromotionError('OPERATION_NOT_REFUNDABLE', 'this top-up was already voided or refunded', {
        details: { operationId, voidedBy: op.voidedBy },
      });
    }
    if (ledger.operation(refundIds(op.operationId).main)) {
      throw new PromotionError('OPERATION_NOT_REFUNDABLE', 'this top-up was already refunded', {
        details: { operationId },
      });
    }
    return op as OperationSummary & { cardId: string; tender: Tender };
  }

  function isLastMoneyOperation(op: OperationSummary): boolean {
    const recent = ledger.operationsOf({ cardId: op.cardId ?? '', order: 'newest_first', limit: 20 });
    return recent.find((o) => o.kind !== 'card_state')?.operationId === op.operationId;
  }

  function quote(request: TopUpRefundRequest): TopUpRefundQuote {
    const op = topUpOf(request.topUpOperationId);
    const before = ledger.balance(op.cardId);
    const keepBonus = request.keepBonus === true;
    if (isLastMoneyOperation(op) && !keepBonus) {
      return {
        topUpOperationId: op.operationId,
        cardId: op.cardId,
        tender: op.tender,
        method: 'void',
        principalRefundFen: op.principalFen,
        bonusForfeitFen: op.bonusFen,
        pointsForfeit: op.points,
        balanceBefore: before,
        balanceAfter: {
          principalFen: before.principalFen - op.principalFen,
          bonusFen: before.bonusFen - op.bonusFen,
          points: before.points - op.points,
        },
      };
    }
    // What is left of the top-up on the card: spending since may have used part of it.
    const principal = Math.min(op.principalFen, before.principalFen);
    const bonus = keepBonus ? 0 : Math.min(op.bonusFen, before.bonusFen);
    return {
      topUpOperationId: op.operationId,
      cardId: op.cardId,
      tender: op.tender,
      method: 'withdraw',
      principalRefundFen: principal,
      bonusForfeitFen: bonus,
      pointsForfeit: 0,
      balanceBefore: before,
      balanceAfter: {
        principalFen: before.principalFen - principal,
        bonusFen: before.bonusFen - bonus,
        points: before.points,
      },
    };
  }

  return {
    quoteTopUpRefund(request: TopUpRefundRequest): TopUpRefundQuote {
      return quote(request);
    },

    refundTopUp(input: TopUpRefundInput): TopUpRefundResult {
      return audit.guarded('top_up.refund', input, () => {
        if (input.approvedBy === undefined || input.approvedBy === null || input.approvedBy === '') {
          throw new PromotionError('APPROVAL_REQUIRED', 'a manager must approve a top-up refund');
        }
        const approver = ledger.staff(input.approvedBy);
        if (!approver || (approver.role !== 'manager' && approver.role !== 'admin')) {
          throw new PromotionError('APPROVER_NOT_MANAGER', 'the approver must be a manager');
        }
        const plan = quote(input);
        const expected = input.expected ?? null;
        if (
          expected !== null &&
          (expected.principalRefundFen !== plan.principalRefundFen ||
            expected.bonusForfeitFen !== plan.bonusForfeitFen)
        ) {
          throw new PromotionError('QUOTE_CHANGED', 'the refund arithmetic changed since it was shown', {
            details: { expected, now: plan },
          });
        }
        const ids = refundIds(plan.topUpOperationId);
        const written: string[] = [];
        const actor = { staffId: input.staffId, terminalId: input.terminalId };
        if (plan.method === 'void') {
          ledger.voidOperation({
            ...actor,
            operationId: ids.main,
            targetOperationId: plan.topUpOperationId,
            approvedBy: input.approvedBy,
            reason: input.reason ?? 'top-up refunded',
          });
          written.push(ids.main);
        } else {
          if (plan.principalRefundFen === 0) {
            throw new PromotionError(
              'OPERATION_NOT_REFUNDABLE',
              'nothing of this top-up is left on the card',
            );
          }
          ledger.withdraw({
            ...actor,
            operationId: ids.main,
            cardId: plan.cardId,
            amountFen: plan.principalRefundFen,
            tender: plan.tender,
            approvedBy: input.approvedBy,
          });
          written.push(ids.main);
          if (plan.bonusForfeitFen > 0) {
            // Bonus forfeited goes to breakage by itself, whatever principal stays on the card.
            ledger.forfeitBonus({
              ...actor,
              operationId: ids.forfeit,
              kind: 'forfeit',
              cardId: plan.cardId,
              amountFen: plan.bonusForfeitFen,
              approvedBy: input.approvedBy,
              targetOperationId: plan.topUpOperationId,
              memo: 'bonus forfeited: top-up refunded',
            });
            written.push(ids.forfeit);
          }
        }
        audit.write({
          at: now(),
          action: 'top_up.refund',
          outcome: 'ok',
          operationId: ids.main,
          staffId: input.staffId,
          terminalId: input.terminalId,
          details: {
            topUpOperationId: plan.topUpOperationId,
            approvedBy: input.approvedBy,
            method: plan.method,
            principalRefundFen: plan.principalRefundFen,
            bonusForfeitFen: plan.bonusForfeitFen,
            keepBonus: input.keepBonus === true,
          },
        });
        return { ...plan, operations: written };
      });
    },
  };
}
