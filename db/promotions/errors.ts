/** Refusals from bonus rules and tiers, each with a stable code. */
import { CodedError } from '../../common/coded-error';

export const PROMOTION_ERROR_CODES = [
  'INPUT_INVALID',
  'AMOUNT_INVALID',
  'RULE_INVALID',
  'RULE_UNKNOWN',
  'RULE_RETIRED',
  'QUOTE_CHANGED',
  'TIER_INVALID',
  'TIER_UNKNOWN',
  'CARD_UNKNOWN',
  'MEMBER_UNKNOWN',
  'STAFF_UNKNOWN',
  'APPROVER_NOT_MANAGER',
  'REASON_REQUIRED',
  'APPROVAL_REQUIRED',
  'OPERATION_NOT_REFUNDABLE',
  'BONUS_FORFEIT_UNAVAILABLE',
  'IDENTITY_NOT_CHECKED',
] as const;

export type PromotionErrorCode = (typeof PROMOTION_ERROR_CODES)[number];

export class PromotionError extends CodedError<PromotionErrorCode> {
  override readonly name = 'PromotionError';
}

export function isPromotionError(value: unknown, code?: PromotionErrorCode): value is PromotionError {
  return value instanceof PromotionError && (code === undefined || value.code === code);
}
