/**
 * Customers' ratings of their visits (1 to 5 stars), one per operation: given on HQ's page from the QR on a
 * charge receipt (and brought down with the feed, this store's only) or on the customer screen right after
 * the charge. Kept for the manager's reports, counted by the visit's business day.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const customerRatings = sqliteTable(
  'customer_ratings',
  {
    /** The rated operation (the charge); one rating per visit, the first one stands. */
    operationId: text('operation_id').primaryKey(),
    storeId: text('store_id').notNull(),
    terminalId: text('terminal_id').notNull(),
    staffId: text('staff_id').notNull(),
    /** The cashier's name as it was when the visit was rated. */
    staffName: text('staff_name').notNull(),
    stars: integer('stars').notNull(),
    comment: text('comment'),
    /** `receipt` (HQ's page from the receipt's QR) or `screen` (the customer screen after the charge). */
    source: text('source').notNull(),
    visitAt: integer('visit_at').notNull(),
    /** The visit's business day in the store's zone: the reports' date ranges count by it. */
    businessDay: text('business_day').notNull(),
    ratedAt: integer('rated_at').notNull(),
  },
  (table) => [index('customer_ratings_store_day').on(table.storeId, table.businessDay)],
);
