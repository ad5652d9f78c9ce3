/**
 * HQ's chain ledger, one drizzle `pg` schema for both PGlite (embedded default) and PostgreSQL.
 * Migrations are generated into `sync/hq/migrations` and committed.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** The chain's stores: what a till learns about its store when it enrols. */
export const stores = pgTable('hq_stores', {
  storeId: text('store_id').primaryKey(),
  name: text('name').notNull(),
  address: text('address').notNull().default(''),
  timeZone: text('time_zone').notNull(),
  currency: text('currency').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const terminals = pgTable('hq_terminals', {
  terminalId: text('terminal_id').primaryKey(),
  storeId: text('store_id').notNull(),
  name: text('name').notNull().default(''),
  /**
   * The Ed25519 public key the till made and sent at enrolment (raw, base64url); null until the terminal's
   * first code is exchanged. HQ holds no private key: a leaked table lets nobody sign for a till.
   */
  publicKey: text('public_key'),
  /** Highest per-terminal sequence number committed here; advanced in the same transaction as the rows. */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  createdAt: bigint('created_at', { mode: 'number' }).notNull().default(0),
  enrolledAt: bigint('enrolled_at', { mode: 'number' }),
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
  /** createdAt of the newest applied row: now minus this is the terminal's lag. */
  lastOperationAt: bigint('last_operation_at', { mode: 'number' }),
  /** Age of the oldest row the terminal had not yet delivered, measured at its last push: its sync lag. */
  lagMs: bigint('lag_ms', { mode: 'number' }),
  /** Rows still waiting in the terminal's outbox after its last push, as the terminal reported them. */
  waiting: bigint('waiting', { mode: 'number' }),
  lastErrorCode: text('last_error_code'),
  lastErrorAt: bigint('last_error_at', { mode: 'number' }),
  /** The app version the till said it runs, with its latest push. */
  appVersion: text('app_version'),
  /** Set when the chain revoked the terminal: its requests are refused, its rows stay. */
  revokedAt: bigint('revoked_at', { mode: 'number' }),
  revokedBy: text('revoked_by'),
});

export const enrolmentCodes = pgTable('hq_enrolment_codes', {
  /** SHA-256 of the code: a leaked table does not leak usable codes. */
  codeHash: text('code_hash').primaryKey(),
  terminalId: text('terminal_id').notNull(),
  storeId: text('store_id').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
});

/** Every applied operation, in the order HQ committed it; `position` is the change feed's cursor. */
export const operations = pgTable(
  'hq_operations',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    operationId: text('operation_id').notNull(),
    terminalId: text('terminal_id').notNull(),
    storeId: text('store_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    /** The member card whose stored value this operation moved, and by how much (fen, signed). */
    cardId: text('card_id'),
    cardDelta: bigint('card_delta', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  },
  (table) => [
    uniqueIndex('hq_operations_operation_id').on(table.operationId),
    uniqueIndex('hq_operations_terminal_seq').on(table.terminalId, table.seq),
    index('hq_operations_card').on(table.cardId),
  ],
);

/** Rows HQ acknowledged but refused to apply; a manager resolves them. Their seq still counts as received. */
export const rejections = pgTable(
  'hq_rejections',
  {
    operationId: text('operation_id').primaryKey(),
    terminalId: text('terminal_id').notNull(),
    storeId: text('store_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload'),
    code: text('code').notNull(),
    message: text('message').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
  },
  (table) => [uniqueIndex('hq_rejections_terminal_seq').on(table.terminalId, table.seq)],
);

/** Chain-wide balance per member card (principal and bonus together, fen). */
export const cards = pgTable('hq_cards', {
  cardId: text('card_id').primaryKey(),
  /** The store that issued the card and carries its liability; settlement is counted against it. */
  issuerStoreId: text('issuer_store_id').notNull(),
  balance: bigint('balance', { mode: 'number' }).notNull().default(0),
  state: text('state').notNull().default('active'),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

/** A spend that took a card below zero: two stores spent the same balance offline. Both operations are kept. */
export const overdrafts = pgTable(
  'hq_overdrafts',
  {
    id: serial('id').primaryKey(),
    cardId: text('card_id').notNull(),
    operationId: text('operation_id').notNull(),
    storeId: text('store_id').notNull(),
    terminalId: text('terminal_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    detectedAt: bigint('detected_at', { mode: 'number' }).notNull(),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
  },
  (table) => [uniqueIndex('hq_overdrafts_operation').on(table.operationId)],
);

export const settings = pgTable('hq_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull().default(sql`0`),
});

/**
 * Request nonces seen inside the signature window, so a replayed request is refused even after HQ restarts.
 * A row past `expires_at` may be claimed again and is swept now and then.
 */
export const nonces = pgTable(
  'hq_nonces',
  {
    terminalId: text('terminal_id').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.terminalId, table.nonce] }),
    index('hq_nonces_expiry').on(table.expiresAt),
  ],
);

/**
 * Every terminal's audit log, line by line as the terminal hashed it. A line is kept once per (terminal, audit
 * id); the next line is taken only if its hash follows from the stored line before it, so what HQ holds is an
 * unbroken copy of each terminal's chain.
 */
export const auditLines = pgTable(
  'hq_audit',
  {
    /** The terminal that signed the request: the chain's owner. */
    terminalId: text('terminal_id').notNull(),
    auditId: bigint('audit_id', { mode: 'number' }).notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    code: text('code'),
    operationId: text('operation_id'),
    staffId: text('staff_id'),
    /** The terminal named on the line itself (null for lines such as a store's creation). */
    lineTerminalId: text('line_terminal_id'),
    /** The JSON text the terminal hashed, kept as text so the hash can be recomputed byte for byte. */
    details: text('details'),
    hash: text('hash'),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.terminalId, table.auditId] }),
    index('hq_audit_action').on(table.terminalId, table.action),
  ],
);

/** People who run HQ: a chain admin, finance or support. Passwords are kept as scrypt hashes only. */
export const hqUsers = pgTable('hq_users', {
  username: text('username').primaryKey(),
  role: text('role').notNull(),
  /** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
  passwordHash: text('password_hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  disabledAt: bigint('disabled_at', { mode: 'number' }),
});

/**
 * Browser sessions (a cookie) and bearer tokens for scripts, both by the SHA-256 of their secret: a leaked table
 * holds nothing that signs in. Each ends at `expires_at`, or earlier when revoked.
 */
export const hqSessions = pgTable(
  'hq_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    username: text('username').notNull(),
    kind: text('kind').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    revokedAt: bigint('revoked_at', { mode: 'number' }),
  },
  (table) => [index('hq_sessions_user').on(table.username)],
);

/** Every change made at HQ (and every sign-in), by whom, accepted or refused. */
export const hqAdminAudit = pgTable(
  'hq_admin_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
    /** The HQ user, `cli` for the command line, or null when nobody signed in. */
    actor: text('actor'),
    action: text('action').notNull(),
    target: text('target'),
    outcome: text('outcome').notNull(),
    code: text('code'),
    details: jsonb('details'),
    address: text('address'),
  },
  (table) => [index('hq_admin_audit_at').on(table.at)],
);

/**
 * Customers' ratings of a visit (1 to 5), given from the QR on a charge receipt: one per operation, the
 * store, cashier and time as the till signed them, the ISO week in the store's zone for the reports.
 */
export const ratings = pgTable(
  'hq_ratings',
  {
    operationId: text('operation_id').primaryKey(),
    terminalId: text('terminal_id').notNull(),
    storeId: text('store_id').notNull(),
    staffId: text('staff_id').notNull(),
    staffName: text('staff_name').notNull(),
    stars: integer('stars').notNull(),
    /** What the customer wrote beside the stars, if anything. */
    comment: text('comment'),
    /** `2026-W49`: the ISO week of the visit in the store's time zone. */
    week: text('week').notNull(),
    visitAt: bigint('visit_at', { mode: 'number' }).notNull(),
    ratedAt: bigint('rated_at', { mode: 'number' }).notNull(),
  },
  (table) => [
    index('hq_ratings_week').on(table.week),
    index('hq_ratings_low').on(table.stars, table.ratedAt),
  ],
);
