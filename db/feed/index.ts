/** Headquarters' change feed applied to this ledger. */
export {
  FEED_CURSOR_KEY,
  type FeedEntryInput,
  type FeedPageOutcome,
  type FeedSinkOptions,
  type LedgerFeedSink,
  openFeedSink,
  type SkippedFeedEntry,
} from './sink';
