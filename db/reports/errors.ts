/**
 * Refusals from shifts and day close. The shape matches the ledger's errors ({ code, message, details }),
 * so the host maps both the same way; the codes are stable once published.
 */
import { CodedError } from '../../common/coded-error';

export const CLOSE_ERROR_CODES = [
  'INPUT_INVALID',
  'AMOUNT_INVALID',
  'COUNT_INVALID',
  'STORE_UNKNOWN',
  'TERMINAL_UNKNOWN',
  'STAFF_UNKNOWN',
  'APPROVER_NOT_MANAGER',
  'IDEMPOTENCY_CONFLICT',
  'SHIFT_UNKNOWN',
  'SHIFT_ALREADY_OPEN',
  'SHIFT_NOT_OPEN',
  'SHIFT_NOT_COUNTED',
  'SHIFT_NOT_CLOSED',
  'SHIFT_ID_TAKEN',
  'HANDOVER_EXCEEDS_COUNT',
  'FLOAT_MISMATCH',
  'VARIANCE_REASON_REQUIRED',
  'DAY_ALREADY_CLOSED',
  'DAY_NOT_CLOSED',
  'DAY_HAS_OPEN_SHIFTS',
  'DAY_IN_FUTURE',
  'EXPORT_FAILED',
] as const;

export type CloseErrorCode = (typeof CLOSE_ERROR_CODES)[number];

export class CloseError extends CodedError<CloseErrorCode> {
  override readonly name = 'CloseError';
}

export function isCloseError(value: unknown, code?: CloseErrorCode): value is CloseError {
  return value instanceof CloseError && (code === undefined || value.code === code);
}
