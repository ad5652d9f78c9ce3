/**
 * Refusals from the member book (registration, search, card life-cycle, member passwords). Like the
 * ledger's, each carries a stable code the host maps to the cashier's words; codes never change meaning.
 */
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

export class MemberError extends Error {
  override readonly name = 'MemberError';
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: MemberErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }

  toJSON(): { code: MemberErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isMemberError(value: unknown, code?: MemberErrorCode): value is MemberError {
  return value instanceof MemberError && (code === undefined || value.code === code);
}
