/**
 * Closed business days (日结). A closed day is locked: its Z report is kept exactly as it was printed, and
 * operations stamped later belong to the next open day.
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { staff, stores } from '../schema';

export const dayCloses = sqliteTable(
  'day_closes',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    businessDay: text('business_day').notNull(),
    closedAt: integer('closed_at').notNull(),
    closedBy: text('closed_by')
      .notNull()
      .references(() => staff.id),
    /** The Z report as closed, JSON; reprints read it and never recompute. */
    report: text('report').notNull(),
    /** Liability at the end of the day by the journal, the next day's opening. */
    principalClosingFen: integer('principal_closing_fen').notNull(),
    bonusClosingFen: integer('bonus_closing_fen').notNull(),
  },
  (table) => [primaryKey({ columns: [table.storeId, table.businessDay] })],
);
