/**
 * Notices to deliver: member notices (SMS/email through a provider) and CRM events (a store's signed
 * webhook). Rows are made from the ledger's outbox, once per outbox row and topic, and retried with backoff
 * until delivered or given up.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { NoticeTopic } from './store';

export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'member' (to the member through the notice provider) or 'crm' (to the store's CRM webhook). */
    topic: text('topic').$type<NoticeTopic>().notNull(),
    /** activation, top_up, spend, … for members; the event type for the CRM. */
    kind: text('kind').notNull(),
    storeId: text('store_id').notNull(),
    memberId: text('member_id'),
    /** The ledger outbox row this notice was made from; 0 for a win-back notice, which no operation made. */
    sourceSeq: integer('source_seq').notNull(),
    /** The outbox row's operation, or the win-back campaign that sent the notice. */
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
    // Once per outbox row and topic; a campaign reaches each member once.
    uniqueIndex('notices_source').on(table.topic, table.sourceSeq).where(sql`${table.sourceSeq} > 0`),
    uniqueIndex('notices_campaign')
      .on(table.sourceOperationId, table.memberId)
      .where(sql`${table.sourceSeq} = 0`),
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

/**
 * A manager's win-back campaign: who sent it, when, the words, and how many picked members were skipped
 * because they had not consented to marketing (or were deleted). The members reached are its recipients.
 */
export const winBackCampaigns = sqliteTable('win_back_campaigns', {
  id: text('id').primaryKey(),
  storeId: text('store_id').notNull(),
  staffId: text('staff_id').notNull(),
  message: text('message').notNull(),
  skippedNoConsent: integer('skipped_no_consent').notNull(),
  skippedDeleted: integer('skipped_deleted').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** One member a campaign's notice went to (only members who consented to marketing). */
export const winBackRecipients = sqliteTable(
  'win_back_recipients',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => winBackCampaigns.id),
    memberId: text('member_id').notNull(),
    noticeId: integer('notice_id').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.memberId] })],
);
