/** Customers' ratings of their visits, and the manager's report of them. */

export { RATING_ERROR_CODES, RatingError, type RatingErrorCode } from './errors';
export {
  type CustomerRatings,
  LOW_RATING,
  openRatings,
  type RatingInput,
  type RatingSource,
  type RatingsReport,
} from './ratings';
