/** Refusals from points, gifts and bonus expiry, each with a stable code. */
import { CodedError } from '../../common/coded-error';

export const LOYALTY_ERROR_CODES = [
  'INPUT_INVALID',
  'AMOUNT_INVALID',
  'CARD_UNKNOWN',
  'STAFF_UNKNOWN',
  'APPROVER_NOT_MANAGER',
  'POINTS_SETTINGS_INVALID',
  'POINTS_EXCEED_CHARGE',
  'POINTS_INSUFFICIENT',
  'GIFT_INVALID',
  'GIFT_UNKNOWN',
  'QUOTE_CHANGED',
] as const;

export type LoyaltyErrorCode = (typeof LOYALTY_ERROR_CODES)[number];

export class LoyaltyError extends CodedError<LoyaltyErrorCode> {
  override readonly name = 'LoyaltyError';
}

export function isLoyaltyError(value: unknown, code?: LoyaltyErrorCode): value is LoyaltyError {
  return value instanceof LoyaltyError && (code === undefined || value.code === code);
}
