/** Refusals from points, gifts and bonus expiry, each with a stable code. */
export const LOYALTY_ERROR_CODES = [
  'INPUT_INVALID',
  'AMOUNT_INVALID',
  'CARD_UNKNOWN',
  'STAFF_UNKNOWN',
  'APPROVER_NOT_MANAGER',
  'POINTS_SETTINGS_INVALID',
  'POINTS_EXCEED_CHARGE',
  'INSUFFICIENT_POINTS',
  'GIFT_INVALID',
  'GIFT_UNKNOWN',
  'QUOTE_CHANGED',
] as const;

export type LoyaltyErrorCode = (typeof LOYALTY_ERROR_CODES)[number];

export class LoyaltyError extends Error {
  override readonly name = 'LoyaltyError';
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: LoyaltyErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }

  toJSON(): { code: LoyaltyErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isLoyaltyError(value: unknown, code?: LoyaltyErrorCode): value is LoyaltyError {
  return value instanceof LoyaltyError && (code === undefined || value.code === code);
}
