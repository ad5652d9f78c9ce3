/**
 * The notice outbox. Member notices (activation, top-up, and spend when the member opted in) and CRM events
 * (every member and wallet change) are made from the ledger's own outbox, in its order, once per outbox row
 * and topic: the cursor moves in the same transaction as the rows it made. Delivery is the host's: it takes
 * due rows, and marks each delivered, or failed with the next try pushed out by exponential backoff with
 * full jitter, until it gives up after `maxAttempts`.
 */

import type { SqlRow } from '../rows';
import type { Ledger } from '../types';
import { marketingConsent } from './consent';
import type { notices } from './schema';

export type NoticeTopic = 'member' | 'crm';

export interface Notice {
  id: number;
  topic: NoticeTopic;
  kind: string;
  storeId: string;
  memberId: string | null;
  sourceSeq: number;
  sourceOperationId: string;
  payload: Record<string, unknown>;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  failedAt: number | null;
  lastError: string | null;
  createdAt: number;
}

export interface NoticeOptIn {
  topUp: boolean;
  spend: boolean;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 10 };

/** Without a row, members are told about activation and top-ups, and not about each charge. */
export const DEFAULT_OPT_IN: NoticeOptIn = { topUp: true, spend: false };

/** Ledger outbox kinds that reach a store's CRM, with the event type they are sent as. */
export const CRM_EVENT_TYPES: Record<string, string> = {
  member_created: 'member.created',
  card_issued: 'card.issued',
  top_up: 'wallet.top_up',
  spend: 'wallet.charge',
  refund: 'wallet.refund',
  withdraw: 'wallet.withdraw',
  void: 'wallet.void',
  transfer: 'wallet.card_transfer',
  card_state: 'card.state',
  expiry: 'wallet.bonus_expired',
  forfeit: 'wallet.bonus_forfeited',
  points_redeem: 'wallet.points_redeemed',
};

/** The next try after `attempts` failures: a random delay up to base × 2^(attempts−1), capped. */
export function backoffDelay(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(1_000, Math.floor(random() * ceiling));
}

type Row = SqlRow<typeof notices>;

const toNotice = (row: Row): Notice => ({
  id: row.id,
  topic: row.topic,
  kind: row.kind,
  storeId: row.store_id,
  memberId: row.member_id,
  sourceSeq: row.source_seq,
  sourceOperationId: row.source_operation_id,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  deliveredAt: row.delivered_at,
  failedAt: row.failed_at,
  lastError: row.last_error,
  createdAt: row.created_at,
});

const CURSOR_KEY = 'notices.cursor';

/**
 * A CRM event about a member who has not consented to marketing names no one: the member's name and phone
 * are left out (the ids stay, so the store's CRM can still count and join what it already holds).
 */
export function withoutPersonalDetails(payload: Record<string, unknown>): Record<string, unknown> {
  const member = payload.member;
  if (typeof member !== 'object' || member === null) return payload;
  const { name: _name, phone: _phone, ...rest } = member as Record<string, unknown>;
  return { ...payload, member: rest };
}

interface OutboxPayload {
  operation?: {
    id?: string;
    kind?: string;
    amountFen?: number;
    bonusFen?: number;
    points?: number;
    createdAt?: number;
    balanceAfter?: { principalFen: number; bonusFen: number; points: number };
  };
  card?: { id?: string; cardNumber?: string; memberId?: string };
  member?: { id?: string };
}

export function openNotices(
  ledger: Ledger,
  options: { now?: () => number; backoff?: BackoffPolicy; random?: () => number } = {},
) {
  const db = ledger.sqlite;
  const now = options.now ?? Date.now;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const marketingConsented = marketingConsent(db);
  const q = {
    outboxAfter: db.prepare<
      [number, number],
      {
        seq: number;
        operation_id: string;
        store_id: string;
        kind: string;
        payload: string;
        created_at: number;
      }
    >(
      'SELECT seq, operation_id, store_id, kind, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    lastOutbox: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox'),
    insert: db.prepare(
      `INSERT OR IGNORE INTO notices (topic, kind, store_id, member_id, source_seq, source_operation_id, payload,
         attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    ),
    due: db.prepare<[number, number], Row>(
      `SELECT * FROM notices WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    get: db.prepare<[number], Row>('SELECT * FROM notices WHERE id = ?'),
    delivered: db.prepare(
      'UPDATE notices SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?',
    ),
    retry: db.prepare('UPDATE notices SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
    giveUp: db.prepare('UPDATE notices SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?'),
    optIn: db.prepare<[string], { top_up: number; spend: number }>(
      'SELECT top_up, spend FROM notice_opt_ins WHERE member_id = ?',
    ),
    setOptIn: db.prepare(
      `INSERT INTO notice_opt_ins (member_id, top_up, spend, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET top_up = excluded.top_up, spend = excluded.spend, updated_at = excluded.updated_at`,
    ),
    stats: db.prepare<[], { waiting: number; failed: number; delivered: number; oldest: number | null }>(
      `SELECT (SELECT COUNT(*) FROM notices WHERE delivered_at IS NULL AND failed_at IS NULL) AS waiting,
              (SELECT COUNT(*) FROM notices WHERE failed_at IS NOT NULL) AS failed,
              (SELECT COUNT(*) FROM notices WHERE delivered_at IS NOT NULL) AS delivered,
              (SELECT MIN(created_at) FROM notices WHERE delivered_at IS NULL AND failed_at IS NULL) AS oldest`,
    ),
    list: db.prepare<[number], Row>('SELECT * FROM notices ORDER BY id DESC LIMIT ?'),
  };

  function optInOf(memberId: string): NoticeOptIn {
    const row = q.optIn.get(memberId);
    return row ? { topUp: row.top_up === 1, spend: row.spend === 1 } : DEFAULT_OPT_IN;
  }

  function memberNoticeKind(kind: string, memberId: string): string | null {
    if (kind === 'card_issued') return 'activation';
    const choice = optInOf(memberId);
    if (kind === 'top_up') return choice.topUp ? 'top_up' : null;
    if (kind === 'spend') return choice.spend ? 'spend' : null;
    return null;
  }

  return {
    /**
     * Makes notices for the outbox rows written since the last call. `crm` says whether the store has a CRM
     * webhook (no CRM rows are made otherwise). Returns how many outbox rows were read.
     */
    collect(input: { crm: boolean; limit?: number }): number {
      const limit = input.limit ?? 500;
      return db
        .transaction(() => {
          const cursor = ledger.settings.get<number>(CURSOR_KEY) ?? 0;
          const rows = q.outboxAfter.all(cursor, limit);
          const at = now();
          for (const row of rows) {
            const payload = JSON.parse(row.payload) as OutboxPayload;
            const cardId = payload.card?.id;
            const card = typeof cardId === 'string' ? ledger.card(cardId) : undefined;
            const memberId = card?.memberId ?? payload.member?.id ?? null;
            if (input.crm && CRM_EVENT_TYPES[row.kind] !== undefined) {
              const consented = memberId !== null && marketingConsented(memberId);
              const event = {
                type: CRM_EVENT_TYPES[row.kind],
                id: row.operation_id,
                occurredAt: row.created_at,
                storeId: row.store_id,
                memberId,
                data: consented
                  ? payload
                  : withoutPersonalDetails(payload as unknown as Record<string, unknown>),
              };
              q.insert.run(
                'crm',
                event.type,
                row.store_id,
                memberId,
                row.seq,
                row.operation_id,
                JSON.stringify(event),
                at,
                at,
              );
            }
            if (card !== undefined && memberId !== null) {
              const kind = memberNoticeKind(row.kind, memberId);
              if (kind !== null) {
                const op = payload.operation ?? {};
                const notice = {
                  kind,
                  memberId,
                  cardLast4: card.cardNumber.slice(-4),
                  amountFen: op.amountFen ?? 0,
                  bonusFen: op.bonusFen ?? 0,
                  points: op.points ?? 0,
                  balanceAfter: op.balanceAfter ?? null,
                  at: op.createdAt ?? row.created_at,
                  storeName: ledger.store(row.store_id)?.name ?? '',
                };
                q.insert.run(
                  'member',
                  kind,
                  row.store_id,
                  memberId,
                  row.seq,
                  row.operation_id,
                  JSON.stringify(notice),
                  at,
                  at,
                );
              }
            }
          }
          if (rows.length > 0)
            ledger.settings.set(CURSOR_KEY, (rows[rows.length - 1] as { seq: number }).seq);
          return rows.length;
        })
        .immediate();
    },

    /** Starts the notices after what the ledger's outbox holds now (a terminal that turns notices on later). */
    skipToEnd(): void {
      ledger.settings.set(CURSOR_KEY, q.lastOutbox.get()?.seq ?? 0);
    },

    due(limit = 50, at = now()): Notice[] {
      return q.due.all(at, limit).map(toNotice);
    },

    get(id: number): Notice | undefined {
      const row = q.get.get(id);
      return row ? toNotice(row) : undefined;
    },

    markDelivered(id: number, at = now()): void {
      q.delivered.run(at, id);
    },

    /** A failed try: the next one after the backoff, or none when it was the last try or `permanent`. */
    markFailed(
      id: number,
      error: string,
      options: { permanent?: boolean; at?: number } = {},
    ): Notice | undefined {
      const row = q.get.get(id);
      if (!row) return undefined;
      const at = options.at ?? now();
      const attempts = row.attempts + 1;
      const message = error.slice(0, 500);
      if (options.permanent === true || attempts >= policy.maxAttempts)
        q.giveUp.run(attempts, at, message, id);
      else q.retry.run(attempts, at + backoffDelay(attempts, policy, random), message, id);
      return toNotice(q.get.get(id) as Row);
    },

    optIn: optInOf,

    setOptIn(memberId: string, choice: NoticeOptIn): NoticeOptIn {
      q.setOptIn.run(memberId, choice.topUp ? 1 : 0, choice.spend ? 1 : 0, now());
      return optInOf(memberId);
    },

    stats() {
      const row = q.stats.get() ?? { waiting: 0, failed: 0, delivered: 0, oldest: null };
      return {
        waiting: row.waiting,
        failed: row.failed,
        delivered: row.delivered,
        oldestWaitingAt: row.oldest,
      };
    },

    /** Newest first, for the manager's screen. */
    list(limit = 50): Notice[] {
      return q.list.all(limit).map(toNotice);
    },
  };
}

export type NoticeStore = ReturnType<typeof openNotices>;
