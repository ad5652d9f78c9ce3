/**
 * Every refusal from the ledger carries a stable code the host maps to the cashier's words.
 * Codes never change meaning once published; add new ones instead.
 */
import { CodedError } from '../common/coded-error';

export const LEDGER_ERROR_CODES = [
  // input
  'AMOUNT_INVALID',
  'INPUT_INVALID',
  'TENDER_INVALID',
  'ID_TAKEN',
  // cards and members
  'CARD_UNKNOWN',
  'CARD_FROZEN',
  'CARD_LOST',
  'CARD_REPLACED',
  'CARD_CLOSED',
  'CARD_STATE_INVALID',
  'CARD_HAS_BALANCE',
  'CARD_MEMBER_MISMATCH',
  'CARD_NUMBER_TAKEN',
  'CARD_UID_TAKEN',
  'MEMBER_UNKNOWN',
  'STORE_UNKNOWN',
  'TERMINAL_UNKNOWN',
  // money
  'BALANCE_INSUFFICIENT',
  'POINTS_INSUFFICIENT',
  'REFUND_EXCEEDS_ORIGINAL',
  'OPERATION_UNKNOWN',
  'OPERATION_NOT_REFUNDABLE',
  'VOID_NOT_LAST',
  'VOID_NOT_ALLOWED',
  'OPERATION_ALREADY_VOIDED',
  'IDEMPOTENCY_CONFLICT',
  // staff and approval
  'STAFF_UNKNOWN',
  'STAFF_PIN_WRONG',
  'STAFF_LOCKED',
  'STAFF_CODE_TAKEN',
  'PIN_INVALID',
  'APPROVAL_REQUIRED',
  'APPROVER_NOT_MANAGER',
  'STAFF_DEACTIVATED',
  'ADMIN_REQUIRED',
  'ADMIN_IS_LAST',
  'APPROVER_PIN_WRONG',
  'APPROVER_PAUSED',
  'UNLOCK_NEEDS_ADMIN',
  'RECOVERY_NOT_ADMIN',
  'RECOVERY_CODE_WRONG',
  'RECOVERY_PAUSED',
  'RECOVERY_NOT_SET',
  // the ledger itself
  'INVARIANT_BROKEN',
  'PRINT_JOB_UNKNOWN',
  'LEDGER_CLOSED',
  'STORAGE_FAILED',
  'LEDGER_NOT_READY',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends CodedError<LedgerErrorCode> {
  override readonly name = 'LedgerError';
}

export function isLedgerError(value: unknown, code?: LedgerErrorCode): value is LedgerError {
  return value instanceof LedgerError && (code === undefined || value.code === code);
}
