/** Headquarters' change feed applied to this book. */
export {
  FEED_CURSOR_KEY,
  type FeedEntryInput,
  type FeedPageOutcome,
  type FeedSinkBook,
  type FeedSinkOptions,
  openFeedSink,
  type SkippedFeedEntry,
} from './sink';
