/** Refusals of a customer's rating; the shape matches the ledger's errors, so the host maps them the same way. */
import { CodedError } from '../../common/coded-error';

export const RATING_ERROR_CODES = ['RATING_INVALID', 'RATING_ALREADY_GIVEN', 'RATING_NOT_RATEABLE'] as const;
export type RatingErrorCode = (typeof RATING_ERROR_CODES)[number];

export class RatingError extends CodedError<RatingErrorCode> {
  override readonly name = 'RatingError';
}
