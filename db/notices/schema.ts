/**
 * Notices to deliver: member notices (SMS/email through a provider) and CRM events (a store's signed
 * webhook). Rows are made from the ledger's outbox, once per outbox row and topic, and retried with backoff
 * until delivered or given up.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'member' (to the member through the notice provider) or 'crm' (to the store's CRM webhook). */
    topic: text('topic').notNull(),
    /** activation, top_up, spend, … for members; the event type for the CRM. */
    kind: text('kind').notNull(),
    storeId: text('store_id').notNull(),
    memberId: text('member_id'),
    /** The ledger outbox row this notice was made from. */
    sourceSeq: integer('source_seq').notNull(),
    sourceOperationId: text('source_operation_id').notNull(),
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    deliveredAt: integer('delivered_at'),
    /** Set when the notice is given up (too many attempts, or refused for good). */
    failedAt: integer('failed_at'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('notices_source').on(table.topic, table.sourceSeq),
    index('notices_due')
      .on(table.nextAttemptAt)
      .where(sql`${table.deliveredAt} IS NULL AND ${table.failedAt} IS NULL`),
  ],
);

/** What a member agreed to be told about; a member with no row gets activation and top-up notices only. */
export const noticeOptIns = sqliteTable('notice_opt_ins', {
  memberId: text('member_id').primaryKey(),
  topUp: integer('top_up').notNull(),
  spend: integer('spend').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
