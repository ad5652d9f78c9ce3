/** Customers' ratings of their visits, and the manager's report of them. */
export {
  LOW_RATING,
  type RatingInput,
  type RatingSource,
  type RatingsBook,
  type RatingsReport,
  ratingsBook,
} from './book';
export { RATING_ERROR_CODES, RatingError, type RatingErrorCode } from './errors';
