/**
 * The terminal's ledger schema. Money columns are integer fen, points are whole points, times are UTC
 * epoch milliseconds. Migrations are generated from this file into db/migrations and committed; the
 * immutability triggers live in a hand-written migration there.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type {
  CardMedium,
  CardState,
  OperationKind,
  PrintJobState,
  SpendPolicy,
  StaffRole,
  Tender,
} from './types';

export const stores = sqliteTable('stores', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('CNY'),
  timeZone: text('time_zone').notNull(),
  dayCloseHour: integer('day_close_hour').notNull(),
  spendPolicy: text('spend_policy').$type<SpendPolicy>().notNull(),
  singleOperationLimitFen: integer('single_operation_limit_fen').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const terminals = sqliteTable('terminals', {
  id: text('id').primaryKey(),
  storeId: text('store_id')
    .notNull()
    .references(() => stores.id),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  storeId: text('store_id')
    .notNull()
    .references(() => stores.id),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<StaffRole>().notNull(),
  /** scrypt$N$r$p$salt$hash, all base64; the PIN itself is never stored. */
  pinHash: text('pin_hash').notNull(),
  failedPinAttempts: integer('failed_pin_attempts').notNull().default(0),
  lockedAt: integer('locked_at'),
  /** Set while an admin has deactivated this staff member: no login, no acting. */
  deactivatedAt: integer('deactivated_at'),
  /**
   * Wrong PINs typed in someone else's approval box, counted apart from the login's: they pause approvals
   * for a while (and longer each time) but never lock the person out, so a cashier cannot lock a manager out.
   */
  approverFailures: integer('approver_failures').notNull().default(0),
  approverPausedUntil: integer('approver_paused_until'),
  createdAt: integer('created_at').notNull(),
});

export const members = sqliteTable('members', {
  id: text('id').primaryKey(),
  storeId: text('store_id')
    .notNull()
    .references(() => stores.id),
  name: text('name').notNull(),
  phone: text('phone'),
  createdAt: integer('created_at').notNull(),
});

export const cards = sqliteTable(
  'cards',
  {
    id: text('id').primaryKey(),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    cardNumber: text('card_number').notNull().unique(),
    uid: text('uid').unique(),
    medium: text('medium').$type<CardMedium>().notNull(),
    state: text('state').$type<CardState>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('cards_member').on(table.memberId)],
);

/**
 * One row per account. Card accounts (principal, bonus, points) belong to a card; store accounts (cash
 * drawer, tender clearing, bonus expense, stored-value revenue, breakage, points issued) to a store.
 * Integer ids keep the transfer rows small.
 */
export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull().unique(),
    kind: text('kind').notNull(),
    unit: text('unit').notNull(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    cardId: text('card_id').references(() => cards.id),
  },
  // (card_id, kind) with the rowid id covers a card's accounts: a lookup at the counter reads no account rows.
  (table) => [index('accounts_card_kind').on(table.cardId, table.kind)],
);

/**
 * Running totals per account, updated in the same transaction as the transfers that move them. A member
 * account (no_overdraft = 1) can never hold less than zero: credits ≥ debits is enforced by the database too.
 */
export const balances = sqliteTable(
  'balances',
  {
    accountId: integer('account_id')
      .primaryKey()
      .references(() => accounts.id),
    debits: integer('debits').notNull().default(0),
    credits: integer('credits').notNull().default(0),
    noOverdraft: integer('no_overdraft').notNull(),
  },
  (table) => [
    check('balances_no_overdraft', sql`${table.noOverdraft} = 0 OR ${table.credits} >= ${table.debits}`),
  ],
);

export const operations = sqliteTable(
  'operations',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    kind: text('kind').$type<OperationKind>().notNull(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    terminalId: text('terminal_id')
      .notNull()
      .references(() => terminals.id),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    approvedBy: text('approved_by').references(() => staff.id),
    cardId: text('card_id').references(() => cards.id),
    counterpartCardId: text('counterpart_card_id').references(() => cards.id),
    targetOperationId: text('target_operation_id'),
    amountFen: integer('amount_fen').notNull(),
    principalFen: integer('principal_fen').notNull(),
    bonusFen: integer('bonus_fen').notNull(),
    points: integer('points').notNull(),
    tender: text('tender').$type<Tender>(),
    tenderReference: text('tender_reference'),
    memo: text('memo'),
    /** The state a card_state operation put the card in. */
    cardState: text('card_state').$type<CardState>(),
    businessDay: text('business_day').notNull(),
    createdAt: integer('created_at').notNull(),
    principalAfter: integer('principal_after').notNull(),
    bonusAfter: integer('bonus_after').notNull(),
    pointsAfter: integer('points_after').notNull(),
    /** Fingerprint of the request, so a replayed id with different content is refused. */
    requestHash: text('request_hash').notNull(),
  },
  (table) => [
    index('operations_card').on(table.cardId, table.seq),
    index('operations_counterpart')
      .on(table.counterpartCardId, table.seq)
      .where(sql`${table.counterpartCardId} IS NOT NULL`),
    index('operations_day').on(table.businessDay),
    index('operations_target').on(table.targetOperationId).where(sql`${table.targetOperationId} IS NOT NULL`),
  ],
);

/**
 * Each transfer debits one account and credits another by a positive amount in their shared unit.
 * Never updated or deleted (triggers refuse it); a mistake is corrected by a reversing operation.
 */
export const transfers = sqliteTable(
  'transfers',
  {
    id: integer('id').primaryKey(),
    operationSeq: integer('operation_seq')
      .notNull()
      .references(() => operations.seq),
    debitAccountId: integer('debit_account_id')
      .notNull()
      .references(() => accounts.id),
    creditAccountId: integer('credit_account_id')
      .notNull()
      .references(() => accounts.id),
    amount: integer('amount').notNull(),
  },
  (table) => [
    check('transfers_amount_positive', sql`${table.amount} > 0`),
    // Covering indexes: per-account sums for the invariant check, and a card's history for statements.
    index('transfers_debit').on(table.debitAccountId, table.operationSeq, table.amount),
    index('transfers_credit').on(table.creditAccountId, table.operationSeq, table.amount),
    index('transfers_operation').on(table.operationSeq),
  ],
);

/**
 * Append-only: what was asked, by whom, and whether the ledger accepted or refused it. Each line carries the
 * SHA-256 of the previous line's hash and its own content, so an edited or removed line breaks the chain.
 */
export const audit = sqliteTable('audit', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
  action: text('action').notNull(),
  outcome: text('outcome').notNull(),
  code: text('code'),
  operationId: text('operation_id'),
  staffId: text('staff_id'),
  terminalId: text('terminal_id'),
  details: text('details'),
  hash: text('hash'),
  /**
   * `<key id>:<HMAC-SHA256 of hash>` under a key-store subkey: `hash` alone can be recomputed by anyone who can
   * write the file; the seal only with the terminal's data key. Null on lines written before seals or keys.
   */
  seal: text('seal'),
});

/** Rows for headquarters, written in the same transaction as the change they describe. */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    operationId: text('operation_id').notNull().unique(),
    terminalId: text('terminal_id').notNull(),
    storeId: text('store_id').notNull(),
    kind: text('kind').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (table) => [index('outbox_unsent').on(table.seq).where(sql`${table.sentAt} IS NULL`)],
);

export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    printerId: text('printer_id').notNull(),
    kind: text('kind').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    state: text('state').$type<PrintJobState>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    reprintOf: text('reprint_of'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('print_jobs_printer').on(table.printerId, table.state, table.createdAt)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
