/**
 * Turns a committed ledger operation into the receipt model the templates print. Names and card numbers are
 * masked here: a receipt leaves the store in the member's pocket.
 */
import type { CardWithMember, OperationResult as LedgerResult } from '../../db';
import type { ReceiptModel, Tender } from '../receipts/index';

/** What the ledger's result does not say but the receipt shows. */
export interface ReceiptFacts {
  tender?: Tender;
  /** The payment's reference (a payment code, a slip number), printed under the tender. */
  reference?: string;
  promotion?: string;
  originalOperationId?: string;
  approvedBy?: string;
  /** Points a charge earned, printed under its amounts. */
  pointsEarned?: number;
  /** A charge of a typed card number a manager approved: their name and the reason. */
  keyedEntry?: { approvedBy: string; reason: string };
  /** HQ's rating page for this visit (a charge on a till enrolled with HQ). */
  ratingUrl?: string;
}

export const maskedCard = (cardNumber: string): string =>
  cardNumber.length <= 8 ? cardNumber : `${cardNumber.slice(0, 4)} **** ${cardNumber.slice(-4)}`;
export const maskedName = (name: string): string =>
  name.length <= 1 ? name : `${name.slice(0, 1)}${'*'.repeat(name.length - 1)}`;

/** Operations whose receipt the counter prints (and prints again on request). */
export const RECEIPT_KINDS: readonly LedgerResult['kind'][] = [
  'top_up',
  'spend',
  'points_redeem',
  'void',
  'refund',
];

/** The receipt of a committed operation, in the shape the receipt templates take. */
export function receiptModel(result: LedgerResult, card: CardWithMember, facts: ReceiptFacts): ReceiptModel {
  const member = { maskedCard: maskedCard(card.cardNumber), maskedName: maskedName(card.member.name) };
  const balanceAfter = {
    principal: result.balanceAfter.principalFen,
    bonus: result.balanceAfter.bonusFen,
    points: result.balanceAfter.points,
  };
  if (result.kind === 'top_up') {
    return {
      kind: 'topup',
      operationId: result.operationId,
      member,
      amount: result.amountFen,
      bonus: result.bonusFen,
      tender: facts.tender ?? 'cash',
      ...(facts.reference ? { reference: facts.reference } : {}),
      balanceAfter,
      ...(facts.promotion ? { promotion: facts.promotion } : {}),
    };
  }
  if (result.kind === 'spend' || result.kind === 'points_redeem') {
    // A split payment: what the card did not pay, another tender did.
    const otherFen = result.amountFen - result.principalFen - result.bonusFen;
    const otherTender =
      result.kind === 'spend' && otherFen > 0 && facts.tender !== undefined && facts.tender !== 'stored_value'
        ? {
            tender: facts.tender,
            amount: otherFen,
            ...(facts.reference ? { reference: facts.reference } : {}),
          }
        : undefined;
    return {
      kind: 'charge',
      operationId: result.operationId,
      member,
      total: result.amountFen,
      fromPrincipal: result.principalFen,
      fromBonus: result.bonusFen,
      ...(facts.pointsEarned ? { pointsEarned: facts.pointsEarned } : {}),
      ...(facts.keyedEntry ? { keyedEntry: facts.keyedEntry } : {}),
      ...(otherTender === undefined ? {} : { otherTender }),
      ...(facts.ratingUrl ? { ratingUrl: facts.ratingUrl } : {}),
      balanceAfter,
    };
  }
  return {
    kind: 'refund',
    mode: result.kind === 'refund' ? 'charge_refund' : result.kind === 'withdraw' ? 'withdraw' : 'void',
    operationId: result.operationId,
    originalOperationId: facts.originalOperationId ?? '',
    member,
    principal: result.principalFen,
    bonus: result.bonusFen,
    tender: facts.tender ?? 'stored_value',
    ...(facts.approvedBy ? { approvedBy: facts.approvedBy } : {}),
    balanceAfter,
  };
}
