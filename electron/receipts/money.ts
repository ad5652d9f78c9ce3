/**
 * Amounts on receipts, formatted from integer fen with integer arithmetic only: `¥1,234.50`, or with the
 * fullwidth `￥` on Chinese receipts (it prints from the Hanzi font, as `A3 A4` in GB18030).
 */
import { formatFen as formatYuan } from '../../common/money';
import { ApiError } from '../errors';

export interface MoneyFormat {
  /** Use the fullwidth yen sign ￥ (U+FFE5) instead of ¥ (U+00A5). */
  fullwidth?: boolean;
  /** Always show the sign, as on movements: +¥20.00 / -¥20.00. */
  signed?: boolean;
}

export function assertFen(value: number, field = 'amount'): number {
  if (!Number.isSafeInteger(value)) {
    throw new ApiError('RECEIPT_AMOUNT_INVALID', `${field} must be a whole number of fen`, {
      details: { field, value },
    });
  }
  return value;
}

export function formatFen(fen: number, format: MoneyFormat = {}): string {
  assertFen(fen);
  return formatYuan(fen, { symbol: format.fullwidth ? '￥' : '¥', signed: format.signed === true });
}

/** Points are whole numbers, grouped the same way. */
export function formatPoints(points: number): string {
  assertFen(points, 'points');
  return points.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
