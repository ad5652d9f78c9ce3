/**
 * The member registry's tables, beside the ledger's `members` row (id, store, name, phone) which stays the
 * ledger's. Personal fields live here so anonymising a member never touches the money history.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { members, staff } from '../schema';

export const memberProfiles = sqliteTable(
  'member_profiles',
  {
    memberId: text('member_id')
      .primaryKey()
      .references(() => members.id),
    /** NFKC name as shown; the search key for prefix search. */
    name: text('name').notNull(),
    /** 11 digits, or null once the member is deleted. */
    phone: text('phone'),
    idNumber: text('id_number'),
    /** YYYY-MM-DD. */
    birthday: text('birthday'),
    notes: text('notes'),
    tierId: text('tier_id'),
    /** scrypt$N$r$p$salt$hash of the 6-digit member password, base64 parts. */
    passwordHash: text('password_hash'),
    passwordFailures: integer('password_failures').notNull().default(0),
    passwordLockedAt: integer('password_locked_at'),
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    // Phone prefix search walks this index from the prefix; a deleted member has no phone.
    index('member_profiles_phone').on(table.phone).where(sql`${table.phone} IS NOT NULL`),
    index('member_profiles_name').on(table.name).where(sql`${table.deletedAt} IS NULL`),
    index('member_profiles_id_number').on(table.idNumber).where(sql`${table.idNumber} IS NOT NULL`),
  ],
);

/**
 * Every one- and two-character piece of each member's name, so "contains" search in Chinese names (mostly
 * two to four characters) is an index lookup instead of a scan of a million names.
 */
export const memberNameGrams = sqliteTable(
  'member_name_grams',
  {
    gram: text('gram').notNull(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
  },
  (table) => [
    primaryKey({ columns: [table.gram, table.memberId] }),
    index('member_name_grams_member').on(table.memberId),
  ],
);

/**
 * Consent as given or withdrawn, append-only: the latest row per member and kind is in force. PIPL consent
 * to process personal data and consent to marketing are separate kinds.
 */
export const memberConsents = sqliteTable(
  'member_consents',
  {
    id: integer('id').primaryKey(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    kind: text('kind').notNull(),
    granted: integer('granted').notNull(),
    purpose: text('purpose').notNull(),
    version: text('version').notNull(),
    staffId: text('staff_id').references(() => staff.id),
    at: integer('at').notNull(),
  },
  (table) => [index('member_consents_member').on(table.memberId, table.kind, table.id)],
);

/**
 * Keyed blind-index terms of encrypted personal fields (`db/crypto/blind-index.ts`): the whole phone number,
 * its first 3 and first 7 digits, and the whole ID number, each an HMAC token under the terminal's data key.
 * Search and the one-member-per-phone rule look tokens up here; the fields themselves stay AES-GCM envelopes.
 */
export const memberBlindIndex = sqliteTable(
  'member_blind_index',
  {
    token: text('token').notNull(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    /** The data key the token was computed with (re-indexing after a key rotation finds old rows by it). */
    keyId: text('key_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.token, table.memberId] }),
    index('member_blind_index_member').on(table.memberId),
  ],
);

/**
 * The member list's facts, one row per member not deleted: tier, balance, visits and marketing consent,
 * kept by triggers (migration 0015) in the same transaction as the change they follow, so the 会员 list can
 * filter and page a million members by index without summing the ledger. A visit is a charge (消费) recorded
 * on one of the member's cards, here or, through the feed, in another store.
 */
export const memberRoster = sqliteTable(
  'member_roster',
  {
    memberId: text('member_id')
      .primaryKey()
      .references(() => members.id),
    tierId: text('tier_id'),
    /** Principal plus bonus over all the member's cards, fen. */
    balanceFen: integer('balance_fen').notNull().default(0),
    visits: integer('visits').notNull().default(0),
    /** 0 until the first visit, so the list's order (last visit, newest first) needs no NULL handling. */
    firstVisitAt: integer('first_visit_at').notNull().default(0),
    lastVisitAt: integer('last_visit_at').notNull().default(0),
    /** 1 while the member's latest marketing consent grants it. */
    marketing: integer('marketing').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    // Keyset paging: every page is a range walk of one of these, newest visit or largest balance first.
    index('member_roster_recent').on(table.lastVisitAt, table.memberId),
    index('member_roster_tier_recent').on(table.tierId, table.lastVisitAt, table.memberId),
    index('member_roster_balance').on(table.balanceFen, table.memberId),
    index('member_roster_tier_balance').on(table.tierId, table.balanceFen, table.memberId),
  ],
);
