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

/**
 * A closed day's top-up and charge figures, net of voids, written when the day closes. A closed day never
 * changes, so the manager's trends read these instead of a year of operations.
 */
export const dayKindStats = sqliteTable(
  'day_kind_stats',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    businessDay: text('business_day').notNull(),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
    amountFen: integer('amount_fen').notNull(),
    bonusFen: integer('bonus_fen').notNull(),
  },
  (table) => [primaryKey({ columns: [table.storeId, table.businessDay, table.kind] })],
);

/** Each member's charges and top-ups of a closed day, for segments, churn and top members. */
export const dayMemberStats = sqliteTable(
  'day_member_stats',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    businessDay: text('business_day').notNull(),
    memberId: text('member_id').notNull(),
    visits: integer('visits').notNull(),
    chargeFen: integer('charge_fen').notNull(),
    topUpFen: integer('top_up_fen').notNull(),
    firstVisitAt: integer('first_visit_at'),
    lastVisitAt: integer('last_visit_at'),
  },
  (table) => [primaryKey({ columns: [table.storeId, table.businessDay, table.memberId] })],
);

/**
 * A closed day's operations (top-ups, charges, withdrawals, refunds) by local weekday (0 = Monday) and hour in
 * the store's zone, written when the day closes: the busy-hours heat map of a year reads these few rows per
 * day instead of every operation. A closed day with no row at all was closed before these were kept, and is
 * counted from its operations.
 */
export const dayHourStats = sqliteTable(
  'day_hour_stats',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    businessDay: text('business_day').notNull(),
    weekday: integer('weekday').notNull(),
    hour: integer('hour').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.storeId, table.businessDay, table.weekday, table.hour] })],
);
