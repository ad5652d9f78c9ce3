/**
 * What this ledger took from headquarters' change feed: one row per feed entry, applied or set aside, so a page
 * applied twice (a crash before the cursor reached HQ's answer) changes nothing the second time.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const feedApplied = sqliteTable(
  'feed_applied',
  {
    /** The operation id the feed entry carries (the origin terminal's, or HQ's own). */
    operationId: text('operation_id').primaryKey(),
    /** The entry's position in HQ's feed. */
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    originTerminalId: text('origin_terminal_id').notNull(),
    originStoreId: text('origin_store_id').notNull(),
    /** 'applied', or 'skipped' when the ledger could not take it (`code` says why). */
    outcome: text('outcome').notNull(),
    code: text('code'),
    /** Stored value a remote charge took beyond what this ledger held for the card (two stores offline). */
    shortfallFen: integer('shortfall_fen').notNull().default(0),
    appliedAt: integer('applied_at').notNull(),
  },
  (table) => [index('feed_applied_position').on(table.position)],
);
