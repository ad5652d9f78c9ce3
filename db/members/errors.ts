/**
 * Refusals from the member registry (registration, search, card life-cycle, member passwords). Like the
 * ledger's, each carries a stable code the host maps to the cashier's words; codes never change meaning.
 */
import { CodedError } from '../../common/coded-error';

export const MEMBER_ERROR_CODES = [
  'INPUT_INVALID',
  'NAME_INVALID',
  'PHONE_INVALID',
  'PHONE_TAKEN',
  'ID_NUMBER_INVALID',
  'ID_NUMBER_TAKEN',
  'BIRTHDAY_INVALID',
  'BIRTHDAY_MISMATCH',
  'CONSENT_REQUIRED',
  'MEMBER_UNKNOWN',
  'MEMBER_DELETED',
  'MEMBER_HAS_BALANCE',
  'CARD_UNKNOWN',
  'CARD_HAS_POINTS',
  'STAFF_UNKNOWN',
  'APPROVAL_REQUIRED',
  'APPROVER_NOT_MANAGER',
  'PASSWORD_INVALID',
  'PASSWORD_NOT_SET',
  'PASSWORD_WRONG',
  'PASSWORD_LOCKED',
  'STORAGE_FAILED',
] as const;

export type MemberErrorCode = (typeof MEMBER_ERROR_CODES)[number];

export class MemberError extends CodedError<MemberErrorCode> {
  override readonly name = 'MemberError';
}

export function isMemberError(value: unknown, code?: MemberErrorCode): value is MemberError {
  return value instanceof MemberError && (code === undefined || value.code === code);
}
