/**
 * Integer-fen arithmetic: validation and the splits of a spend or a refund between principal and bonus.
 */
import { LedgerError } from './errors';
import type { SpendPolicy } from './types';

/** A money amount must be a positive safe integer of fen, no larger than the store's single-operation limit. */
export function checkAmount(amountFen: unknown, limitFen: number, field = 'amountFen'): number {
  if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen)) {
    throw new LedgerError('AMOUNT_INVALID', `${field} must be a whole number of fen`, {
      details: { field, value: String(amountFen) },
    });
  }
  if (amountFen <= 0) {
    throw new LedgerError('AMOUNT_INVALID', `${field} must be more than zero`, {
      details: { field, value: amountFen },
    });
  }
  if (amountFen > limitFen) {
    throw new LedgerError('AMOUNT_INVALID', `${field} is over the store's single-operation limit`, {
      details: { field, value: amountFen, limitFen },
    });
  }
  return amountFen;
}

/** A non-negative safe integer (bonus fen, points); zero is allowed. */
export function checkNonNegative(value: unknown, field: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('AMOUNT_INVALID', `${field} must be a whole number, zero or more`, {
      details: { field, value: String(value) },
    });
  }
  if (value > limit) {
    throw new LedgerError('AMOUNT_INVALID', `${field} is over the store's single-operation limit`, {
      details: { field, value, limitFen: limit },
    });
  }
  return value;
}

export interface Split {
  principalFen: number;
  bonusFen: number;
}

/**
 * Splits a spend between the card's principal and bonus by the store's policy. The caller has already
 * checked that principal + bonus covers the amount.
 * - principal_first: principal until it is empty, then bonus;
 * - bonus_first: bonus until it is empty, then principal;
 * - proportional: bonus share = floor(amount × bonus / (principal + bonus)), the rounding remainder goes to
 *   principal; if that leaves principal short, the shortfall moves to bonus. Deterministic for equal inputs.
 */
export function splitSpend(
  amountFen: number,
  principalFen: number,
  bonusFen: number,
  policy: SpendPolicy,
): Split {
  if (policy === 'principal_first') {
    const fromPrincipal = Math.min(amountFen, principalFen);
    return { principalFen: fromPrincipal, bonusFen: amountFen - fromPrincipal };
  }
  if (policy === 'bonus_first') {
    const fromBonus = Math.min(amountFen, bonusFen);
    return { principalFen: amountFen - fromBonus, bonusFen: fromBonus };
  }
  const total = principalFen + bonusFen;
  let fromBonus = total === 0 ? 0 : mulDivFloor(amountFen, bonusFen, total);
  let fromPrincipal = amountFen - fromBonus;
  if (fromPrincipal > principalFen) {
    fromBonus += fromPrincipal - principalFen;
    fromPrincipal = principalFen;
  }
  return { principalFen: fromPrincipal, bonusFen: fromBonus };
}

/**
 * The bonus part of a refund: refunds give back principal and bonus in the proportion the spend took them,
 * computed on the running total so that refunding the whole spend in any number of parts returns exactly the
 * bonus it took. The rounding remainder goes to principal.
 */
export function splitRefund(
  amountFen: number,
  spend: Split,
  alreadyRefunded: { amountFen: number; bonusFen: number },
): Split {
  const spendTotal = spend.principalFen + spend.bonusFen;
  const cumulativeBonus = mulDivFloor(alreadyRefunded.amountFen + amountFen, spend.bonusFen, spendTotal);
  const bonusLeft = spend.bonusFen - alreadyRefunded.bonusFen;
  const principalLeft = spend.principalFen - (alreadyRefunded.amountFen - alreadyRefunded.bonusFen);
  let fromBonus = Math.max(0, Math.min(cumulativeBonus - alreadyRefunded.bonusFen, bonusLeft, amountFen));
  let toPrincipal = amountFen - fromBonus;
  if (toPrincipal > principalLeft) {
    fromBonus += toPrincipal - principalLeft;
    toPrincipal = principalLeft;
  }
  return { principalFen: toPrincipal, bonusFen: fromBonus };
}

/** floor(a × b / c) exactly, for safe non-negative integers (the product may exceed 2^53). */
export function mulDivFloor(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
