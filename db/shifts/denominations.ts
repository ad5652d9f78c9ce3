/**
 * Counting cash by denomination. Renminbi notes of 100, 50, 20, 10, 5 and 1 yuan, coins of 1 yuan, 5 jiao
 * and 1 jiao, and the fen coins still in circulation; a count is how many of each, keyed by face value in fen.
 */
import { CloseError } from '../reports/errors';

/** Face values in fen, largest first. */
export const DENOMINATIONS_FEN: readonly number[] = [10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1];

/** How many pieces of each face value (fen → pieces); absent values count as none. */
export type CashCount = Readonly<Record<string, number>>;

/** The total in fen of a count; refuses unknown face values and piece counts that are not whole and ≥ 0. */
export function countTotal(count: CashCount): number {
  if (typeof count !== 'object' || count === null || Array.isArray(count)) {
    throw new CloseError('COUNT_INVALID', 'a cash count is an object of face value (fen) to pieces');
  }
  let total = 0;
  for (const [face, pieces] of Object.entries(count)) {
    const value = Number(face);
    if (!DENOMINATIONS_FEN.includes(value)) {
      throw new CloseError('COUNT_INVALID', `there is no ${face} fen note or coin`, { details: { face } });
    }
    if (!Number.isSafeInteger(pieces) || pieces < 0) {
      throw new CloseError('COUNT_INVALID', `the count of ${face} fen pieces must be a whole number ≥ 0`, {
        details: { face, pieces },
      });
    }
    total += value * pieces;
  }
  if (!Number.isSafeInteger(total)) {
    throw new CloseError('COUNT_INVALID', 'the count is too large', { details: { total } });
  }
  return total;
}

/** The count in canonical form, as stored and printed: every face value present, absent ones as zero. */
export function normalizeCount(count: CashCount): Record<string, number> {
  countTotal(count);
  const normalized: Record<string, number> = {};
  for (const face of DENOMINATIONS_FEN) normalized[String(face)] = count[String(face)] ?? 0;
  return normalized;
}
