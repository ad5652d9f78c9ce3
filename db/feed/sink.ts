/**
 * The ledger side of headquarters' change feed: other terminals' members, cards, card states and wallet
 * movements, and HQ's own card states and bonus rules, written into this ledger so balances are chain-wide.
 *
 * - One `BEGIN IMMEDIATE` transaction per page: every entry, its `feed_applied` row, one audit line and the
 *   feed cursor commit together, or nothing does. A page applied again (a crash before the worker heard the
 *   commit) finds its entries in `feed_applied` and changes nothing.
 * - A remote money operation becomes an operation of its own store and terminal here, with the same transfers
 *   on the same accounts (account codes are the same in every ledger of the chain). It is never put in this
 *   ledger's outbox, so it does not go back to HQ, and it never counts in this terminal's shift or drawer: those
 *   read this terminal's operations only.
 * - Remote stores, terminals and a locked stand-in staff member per store are created as the feed first names
 *   them, so every operation row keeps its foreign keys.
 * - A remote charge may find less on the card here than the origin saw (two stores spending one balance
 *   offline; HQ flags it as an overdraft). Member accounts never go below zero: what the card here does not
 *   hold is posted against the acting store's `feed_shortfall` account and counted in `feed_applied`.
 * - An entry the ledger cannot take (a card it never saw issued, a card number another card holds, a rule
 *   version a local manager already used) is recorded as skipped with its code and does not stop the page.
 * - A customer's rating of a visit to this store (given on HQ's page from the receipt's QR) joins the store's
 *   ratings; a visit already rated here (on the customer screen) keeps its first rating.
 */
import { accountsModule } from '../accounts';
import { businessDay } from '../business-day';
import { createContext } from '../context';
import { LedgerError } from '../errors';
import { prepareOperationInsert } from '../operations/writer';
import { checkTerms } from '../promotions/rules';
import { prepareRuleInsert, ruleVersionRow } from '../promotions/top-up-rules';
import { openRatings } from '../ratings/ratings';
import { lastClosedDay, nextDay } from '../reports/day-lock';
import type { CardRow, StoreRow } from '../rows';
import {
  CARD_MEDIA,
  type CardState,
  type Ledger,
  type OperationKind,
  TENDERS,
  type Tender,
  type Unit,
} from '../types';

/** One entry of HQ's feed, as `sync/wire.ts` defines it. */
export interface FeedEntryInput {
  position: number;
  operationId: string;
  terminalId: string;
  storeId: string;
  kind: string;
  payload: unknown;
  createdAt: number;
}

export interface FeedSinkOptions {
  now?: () => number;
  /** The settings key the cursor is saved under, in the same transaction as the page. */
  cursorKey?: string;
}

export interface FeedPageOutcome {
  applied: number;
  skipped: number;
  /** Entries this ledger had already taken. */
  repeated: number;
}

export interface SkippedFeedEntry {
  operationId: string;
  position: number;
  kind: string;
  originStoreId: string;
  code: string;
}

export const FEED_CURSOR_KEY = 'sync.feedCursor';
/** Kinds of the feed that carry a ledger operation with its transfers. */
const MONEY_KINDS: ReadonlySet<string> = new Set([
  'top_up',
  'spend',
  'refund',
  'withdraw',
  'void',
  'transfer',
  'card_transfer',
  'expiry',
  'forfeit',
  'points_redeem',
]);
const CARD_STATES: ReadonlySet<string> = new Set(['active', 'frozen', 'lost', 'replaced', 'closed']);

class Skip extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type Payload = Record<string, unknown>;

function isRecord(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function idIn(value: unknown): string | null {
  return isRecord(value) ? text(value.id) : null;
}

interface Leg {
  debit: string;
  credit: string;
  amount: number;
  unit: Unit;
}

function legsOf(payload: Payload): Leg[] {
  if (!Array.isArray(payload.transfers)) throw new Skip('TRANSFERS_MISSING');
  return payload.transfers.map((entry) => {
    if (!isRecord(entry)) throw new Skip('TRANSFER_MALFORMED');
    const debit = text(entry.debit);
    const credit = text(entry.credit);
    const amount = entry.amount;
    const unit = entry.unit;
    if (!debit || !credit || (unit !== 'fen' && unit !== 'points')) throw new Skip('TRANSFER_MALFORMED');
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      throw new Skip('TRANSFER_MALFORMED');
    }
    return { debit, credit, amount, unit };
  });
}

export function openFeedSink(ledger: Ledger, options: FeedSinkOptions = {}) {
  const db = ledger.sqlite;
  const now = options.now ?? Date.now;
  const cursorKey = options.cursorKey ?? FEED_CURSOR_KEY;
  const ctx = createContext(db, now);
  const accounts = accountsModule(ctx);
  const ratings = openRatings(ledger);
  const q = {
    seen: db.prepare<[string], { outcome: string }>(
      'SELECT outcome FROM feed_applied WHERE operation_id = ?',
    ),
    record: db.prepare(
      `INSERT INTO feed_applied (operation_id, position, kind, origin_terminal_id, origin_store_id, outcome, code,
         shortfall_fen, applied_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    skipped: db.prepare<[number], SkippedFeedEntry>(
      `SELECT operation_id AS operationId, position, kind, origin_store_id AS originStoreId, code
       FROM feed_applied WHERE outcome = 'skipped' ORDER BY position LIMIT ?`,
    ),
    homeTerminal: db.prepare<[], { id: string; store_id: string }>(
      'SELECT id, store_id FROM terminals ORDER BY created_at, id LIMIT 1',
    ),
    store: db.prepare<[string], StoreRow>('SELECT * FROM stores WHERE id = ?'),
    insertStore: db.prepare(
      `INSERT INTO stores (id, name, currency, time_zone, day_close_hour, spend_policy, single_operation_limit_fen,
         created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    terminal: db.prepare<[string], { id: string }>('SELECT id FROM terminals WHERE id = ?'),
    insertTerminal: db.prepare('INSERT INTO terminals (id, store_id, name, created_at) VALUES (?, ?, ?, ?)'),
    staff: db.prepare<[string], { id: string }>('SELECT id FROM staff WHERE id = ?'),
    insertStaff: db.prepare(
      `INSERT INTO staff (id, store_id, code, name, role, pin_hash, failed_pin_attempts, locked_at, created_at)
       VALUES (?, ?, ?, ?, 'cashier', '!', 0, ?, ?)`,
    ),
    member: db.prepare<[string], { id: string }>('SELECT id FROM members WHERE id = ?'),
    insertMember: db.prepare(
      'INSERT INTO members (id, store_id, name, phone, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    card: db.prepare<[string], CardRow>('SELECT * FROM cards WHERE id = ?'),
    cardByNumber: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE card_number = ?'),
    cardByUid: db.prepare<[string], { id: string }>('SELECT id FROM cards WHERE uid = ?'),
    insertCard: db.prepare(
      `INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    setCardState: db.prepare('UPDATE cards SET state = ?, updated_at = ? WHERE id = ?'),
    account: db.prepare<
      [string],
      { id: number; unit: Unit; no_overdraft: number; debits: number; credits: number }
    >(
      `SELECT a.id, a.unit, b.no_overdraft, b.debits, b.credits
       FROM accounts a JOIN balances b ON b.account_id = a.id WHERE a.code = ?`,
    ),
    insertAccount: db.prepare(
      'INSERT INTO accounts (code, kind, unit, store_id, card_id) VALUES (?, ?, ?, ?, NULL) RETURNING id',
    ),
    insertBalance: db.prepare(
      'INSERT INTO balances (account_id, debits, credits, no_overdraft) VALUES (?, 0, 0, 0)',
    ),
    operation: db.prepare<[string], { id: string }>('SELECT id FROM operations WHERE id = ?'),
    insertOperation: prepareOperationInsert(db),
    insertTransfer: db.prepare(
      'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (?, ?, ?, ?)',
    ),
    post: db.prepare('UPDATE balances SET debits = debits + ?, credits = credits + ? WHERE account_id = ?'),
    cardBalance: db.prepare<[string], { kind: string; held: number }>(
      `SELECT a.kind, b.credits - b.debits AS held FROM accounts a JOIN balances b ON b.account_id = a.id
       WHERE a.card_id = ?`,
    ),
    ruleVersion: db.prepare<[string, number], { created_by: string }>(
      'SELECT created_by FROM bonus_rules WHERE id = ? AND version = ?',
    ),
    tier: db.prepare<[string], { id: string }>('SELECT id FROM member_tiers WHERE id = ?'),
    insertRule: prepareRuleInsert(db),
    setting: db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    cursor: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
  };

  function home(): { terminalId: string; store: StoreRow } {
    const row = q.homeTerminal.get();
    if (!row) throw new LedgerError('TERMINAL_UNKNOWN', 'this ledger has no terminal yet; create one first');
    return { terminalId: row.id, store: q.store.get(row.store_id) as StoreRow };
  }

  /** A store the feed names: created with the home store's clock and policy until HQ says more. */
  function ensureStore(storeId: string, at: number): void {
    if (q.store.get(storeId)) return;
    const own = home().store;
    q.insertStore.run(
      storeId,
      storeId,
      own.currency,
      own.time_zone,
      own.day_close_hour,
      own.spend_policy,
      Number.MAX_SAFE_INTEGER,
      at,
    );
    accounts.createStoreAccounts(storeId);
  }

  function ensureTerminal(terminalId: string, storeId: string, at: number): void {
    if (q.terminal.get(terminalId)) return;
    q.insertTerminal.run(terminalId, storeId, terminalId, at);
  }

  /** The stand-in for another store's staff: locked, with no PIN, so nobody can log in as it. */
  function feedStaff(storeId: string, at: number): string {
    const id = `feed:${storeId}`;
    if (!q.staff.get(id)) q.insertStaff.run(id, storeId, id, `${storeId} (HQ)`, at, at);
    return id;
  }

  function accountId(code: string, unit: Unit, at: number) {
    let account = q.account.get(code);
    if (!account) {
      const parts = code.split(':');
      if (parts[0] !== 'store' || parts.length !== 3 || !parts[1] || !parts[2]) {
        throw new Skip('ACCOUNT_UNKNOWN');
      }
      ensureStore(parts[1], at);
      account = q.account.get(code);
      if (!account) {
        // A store account the origin created on demand (a drawer kind this ledger has not used yet).
        const { id } = q.insertAccount.get(code, parts[2], unit, parts[1]) as { id: number };
        q.insertBalance.run(id);
        account = q.account.get(code);
      }
    }
    if (!account || account.unit !== unit) throw new Skip('ACCOUNT_UNIT_MISMATCH');
    return account;
  }

  function shortfallAccount(storeId: string, unit: Unit, at: number) {
    const code = `store:${storeId}:${unit === 'fen' ? 'feed_shortfall' : 'feed_shortfall_points'}`;
    return accountId(code, unit, at);
  }

  function cardOrSkip(cardId: string | null): CardRow {
    const card = cardId ? q.card.get(cardId) : undefined;
    if (!card) throw new Skip('CARD_UNKNOWN');
    return card;
  }

  function memberCreated(entry: FeedEntryInput, payload: Payload, at: number): void {
    const member = payload.member;
    if (!isRecord(member)) throw new Skip('MEMBER_MALFORMED');
    const id = text(member.id);
    const storeId = text(member.storeId) ?? entry.storeId;
    const name = text(member.name);
    if (!id || !name) throw new Skip('MEMBER_MALFORMED');
    if (q.member.get(id)) return;
    ensureStore(storeId, at);
    q.insertMember.run(id, storeId, name, text(member.phone), count(member.createdAt) || entry.createdAt);
  }

  function cardIssued(entry: FeedEntryInput, payload: Payload, at: number): void {
    const card = payload.card;
    if (!isRecord(card)) throw new Skip('CARD_MALFORMED');
    const id = text(card.id);
    const memberId = text(card.memberId);
    const cardNumber = text(card.cardNumber);
    const storeId = text(card.storeId) ?? entry.storeId;
    const medium = text(card.medium);
    const uid = text(card.uid);
    const state = text(card.state) ?? 'active';
    if (!id || !memberId || !cardNumber || !medium || !CARD_MEDIA.includes(medium as never)) {
      throw new Skip('CARD_MALFORMED');
    }
    if (!CARD_STATES.has(state)) throw new Skip('CARD_MALFORMED');
    if (q.card.get(id)) return;
    if (!q.member.get(memberId)) throw new Skip('MEMBER_UNKNOWN');
    if (q.cardByNumber.get(cardNumber)) throw new Skip('CARD_NUMBER_TAKEN');
    if (uid !== null && q.cardByUid.get(uid)) throw new Skip('CARD_UID_TAKEN');
    ensureStore(storeId, at);
    const createdAt = count(card.createdAt) || entry.createdAt;
    q.insertCard.run(id, memberId, storeId, cardNumber, uid, medium, state, createdAt, at);
    accounts.createCardAccounts(storeId, id);
  }

  /** A state HQ set itself (a card reported lost at headquarters): no operation here, only the card. */
  function hqCardState(payload: Payload, at: number): void {
    const card = cardOrSkip(idIn(payload.card) ?? text(payload.cardId));
    const state = text(payload.state);
    if (!state || !CARD_STATES.has(state)) throw new Skip('CARD_STATE_INVALID');
    q.setCardState.run(state, at, card.id);
  }

  /** The home store and its last closed day, read once per page (a page is one transaction). */
  let page: { store: StoreRow; lastClosed: string | null } | null = null;

  function dayFor(operation: Payload, createdAt: number): string {
    page ??= { store: home().store, lastClosed: lastClosedDay(db, home().store.id) };
    const { store, lastClosed } = page;
    const stated = text(operation.businessDay);
    const calendar =
      stated && /^\d{4}-\d{2}-\d{2}$/.test(stated)
        ? stated
        : businessDay(createdAt, store.time_zone, store.day_close_hour);
    // A day this ledger already closed never takes another operation: the remote one goes to the open day.
    return lastClosed === null || calendar > lastClosed ? calendar : nextDay(lastClosed);
  }

  /** Another terminal's operation, mirrored with its transfers. Returns the stored value it could not take. */
  function mirror(entry: FeedEntryInput, payload: Payload, at: number): number {
    if (q.operation.get(entry.operationId)) return 0;
    const operation = isRecord(payload.operation) ? payload.operation : {};
    const kind = entry.kind === 'card_transfer' ? 'transfer' : entry.kind;
    const card = cardOrSkip(idIn(payload.card) ?? text(payload.cardId));
    const counterpartId = idIn(payload.counterpartCard);
    const counterpart = counterpartId ? cardOrSkip(counterpartId) : null;
    const legs = kind === 'card_state' ? [] : legsOf(payload);
    const cardState = kind === 'card_state' ? text(operation.cardState) : null;
    if (kind === 'card_state' && (!cardState || !CARD_STATES.has(cardState))) {
      throw new Skip('CARD_STATE_INVALID');
    }

    ensureStore(entry.storeId, at);
    ensureTerminal(entry.terminalId, entry.storeId, at);
    const staffId = feedStaff(entry.storeId, at);

    // Resolve every account first, so an entry that cannot be read leaves nothing behind.
    const held = new Map<number, number>();
    const resolved = legs.map((leg) => {
      const debit = accountId(leg.debit, leg.unit, at);
      const credit = accountId(leg.credit, leg.unit, at);
      if (debit.no_overdraft === 1 && !held.has(debit.id)) held.set(debit.id, debit.credits - debit.debits);
      if (credit.no_overdraft === 1 && !held.has(credit.id))
        held.set(credit.id, credit.credits - credit.debits);
      return { leg, debit, credit };
    });
    const posted: { debit: number; credit: number; amount: number }[] = [];
    let shortfall = 0;
    for (const { leg, debit, credit } of resolved) {
      let amount = leg.amount;
      if (debit.no_overdraft === 1) {
        const available = Math.max(0, held.get(debit.id) ?? 0);
        if (available < amount) {
          const missing = amount - available;
          posted.push({
            debit: shortfallAccount(entry.storeId, leg.unit, at).id,
            credit: credit.id,
            amount: missing,
          });
          if (leg.unit === 'fen') shortfall += missing;
          amount = available;
        }
        held.set(debit.id, (held.get(debit.id) ?? 0) - amount);
      }
      if (credit.no_overdraft === 1) held.set(credit.id, (held.get(credit.id) ?? 0) + leg.amount);
      if (amount > 0) posted.push({ debit: debit.id, credit: credit.id, amount });
    }

    const moves = new Map<number, { debits: number; credits: number }>();
    for (const leg of posted) {
      const debit = moves.get(leg.debit) ?? { debits: 0, credits: 0 };
      debit.debits += leg.amount;
      moves.set(leg.debit, debit);
      const credit = moves.get(leg.credit) ?? { debits: 0, credits: 0 };
      credit.credits += leg.amount;
      moves.set(leg.credit, credit);
    }
    for (const [id, move] of moves) q.post.run(move.debits, move.credits, id);
    const after = { principal: 0, bonus: 0, points: 0 };
    for (const row of q.cardBalance.all(card.id)) {
      if (row.kind === 'card_principal') after.principal = row.held;
      else if (row.kind === 'card_bonus') after.bonus = row.held;
      else if (row.kind === 'card_points') after.points = row.held;
    }
    const tender = text(payload.tender);
    const seq = Number(
      q.insertOperation.run({
        id: entry.operationId,
        // applyEntry sends only the money kinds and card_state here.
        kind: kind as OperationKind,
        store_id: entry.storeId,
        terminal_id: entry.terminalId,
        staff_id: staffId,
        approved_by: null,
        card_id: card.id,
        counterpart_card_id: counterpart?.id ?? null,
        target_operation_id: text(operation.targetOperationId),
        amount_fen: count(operation.amountFen),
        principal_fen: count(operation.principalFen),
        bonus_fen: count(operation.bonusFen),
        points: count(operation.points),
        tender: tender && TENDERS.includes(tender as never) ? (tender as Tender) : null,
        tender_reference: text(payload.tenderReference),
        memo: text(operation.memo),
        // Checked against the card states above.
        card_state: cardState as CardState | null,
        business_day: dayFor(operation, entry.createdAt),
        created_at: entry.createdAt,
        principal_after: after.principal,
        bonus_after: after.bonus,
        points_after: after.points,
        // The fingerprint of a request this till never received; the row is a mirror, never replayed here.
        request_hash: 'feed',
      }).lastInsertRowid,
    );
    for (const leg of posted) q.insertTransfer.run(seq, leg.debit, leg.credit, leg.amount);
    if (cardState) q.setCardState.run(cardState as CardState, at, card.id);
    if (kind === 'transfer' && counterpart) q.setCardState.run('replaced', at, counterpart.id);
    return shortfall;
  }

  /** A bonus rule version HQ published; it joins the store's rules like a version a manager wrote here. */
  function bonusRule(payload: Payload, at: number): void {
    const rule = payload.rule;
    if (!isRecord(rule)) throw new Skip('RULE_MALFORMED');
    const id = text(rule.id);
    const storeId = text(rule.storeId);
    const version = rule.version;
    if (!id || !storeId || typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      throw new Skip('RULE_MALFORMED');
    }
    const staffId = `feed:${storeId}`;
    const existing = q.ruleVersion.get(id, version);
    if (existing) {
      if (existing.created_by === staffId) return;
      throw new Skip('RULE_VERSION_TAKEN');
    }
    let terms: ReturnType<typeof checkTerms>;
    try {
      terms = checkTerms(rule as never);
    } catch {
      throw new Skip('RULE_INVALID');
    }
    for (const tierId of [terms.upgradeTierId, ...(terms.eligibleTiers ?? [])]) {
      if (tierId !== null && !q.tier.get(tierId)) throw new Skip('TIER_UNKNOWN');
    }
    ensureStore(storeId, at);
    feedStaff(storeId, at);
    q.insertRule.run(
      ruleVersionRow({ id, version, storeId, terms, retired: rule.retired === true, createdBy: staffId, at }),
    );
  }

  /** A customer's rating HQ took for a visit to this store. */
  function rating(entry: FeedEntryInput, payload: Payload): void {
    const given = payload.rating;
    if (!isRecord(given)) throw new Skip('RATING_MALFORMED');
    const operationId = text(given.operationId);
    const staffId = text(given.staffId) ?? '';
    const stars = given.stars;
    if (!operationId || typeof stars !== 'number' || !Number.isInteger(stars) || stars < 1 || stars > 5) {
      throw new Skip('RATING_MALFORMED');
    }
    const storeId = text(given.storeId) ?? entry.storeId;
    if (storeId !== home().store.id) throw new Skip('RATING_OTHER_STORE');
    ratings.take({
      operationId,
      storeId,
      terminalId: text(given.terminalId) ?? entry.terminalId,
      staffId,
      staffName: typeof given.staffName === 'string' ? given.staffName : staffId,
      stars,
      comment: text(given.comment),
      source: 'receipt',
      visitAt: count(given.visitAt) || entry.createdAt,
      ratedAt: count(given.ratedAt) || entry.createdAt,
    });
  }

  function applyEntry(entry: FeedEntryInput, at: number): number {
    const payload = entry.payload;
    if (!isRecord(payload)) throw new Skip('PAYLOAD_MALFORMED');
    if (entry.kind === 'member_created') memberCreated(entry, payload, at);
    else if (entry.kind === 'card_issued') cardIssued(entry, payload, at);
    else if (entry.kind === 'card_state_changed') hqCardState(payload, at);
    else if (entry.kind === 'bonus_rule') bonusRule(payload, at);
    else if (entry.kind === 'rating') rating(entry, payload);
    else if (entry.kind === 'card_state' || MONEY_KINDS.has(entry.kind)) return mirror(entry, payload, at);
    else throw new Skip('UNKNOWN_KIND');
    return 0;
  }

  const applyPage = db.transaction((entries: readonly FeedEntryInput[], cursor: number | null) => {
    const at = now();
    page = null;
    const outcome: FeedPageOutcome = { applied: 0, skipped: 0, repeated: 0 };
    for (const entry of entries) {
      if (q.seen.get(entry.operationId)) {
        outcome.repeated += 1;
        continue;
      }
      let code: string | null = null;
      let shortfall = 0;
      // Each entry in a savepoint: a skipped one leaves nothing half-written.
      try {
        shortfall = db.transaction(() => applyEntry(entry, at))();
      } catch (error) {
        if (!(error instanceof Skip)) throw error;
        code = error.code;
      }
      q.record.run(
        entry.operationId,
        entry.position,
        entry.kind,
        entry.terminalId,
        entry.storeId,
        code === null ? 'applied' : 'skipped',
        code,
        shortfall,
        at,
      );
      if (code === null) outcome.applied += 1;
      else outcome.skipped += 1;
    }
    if (outcome.applied + outcome.skipped > 0) {
      ctx.audit({
        at,
        action: 'feed.apply',
        outcome: 'ok',
        details: {
          from: entries[0]?.position ?? null,
          to: entries[entries.length - 1]?.position ?? null,
          applied: outcome.applied,
          skipped: outcome.skipped,
        },
      });
    }
    if (cursor !== null) q.setting.run(cursorKey, JSON.stringify(cursor), at);
    return outcome;
  });

  return {
    /**
     * Applies one page of the feed and, when given, saves `page.cursor` in the same transaction.
     * Idempotent on each entry's operation id.
     */
    apply(entries: readonly FeedEntryInput[], page?: { cursor: number }): FeedPageOutcome {
      const cursor = page?.cursor ?? null;
      if (cursor !== null && (!Number.isSafeInteger(cursor) || cursor < 0)) {
        throw new LedgerError('INPUT_INVALID', 'the feed cursor must be a non-negative integer');
      }
      return applyPage.immediate(entries, cursor);
    },
    /** The cursor saved with the last page applied (0 before the first). */
    cursor(): number {
      const row = q.cursor.get(cursorKey);
      return row ? Number(JSON.parse(row.value)) : 0;
    },
    /** Entries the ledger could not take, oldest first, for a manager to look into. */
    skipped(limit = 100): SkippedFeedEntry[] {
      return q.skipped.all(limit);
    },
  };
}

/** HQ's change feed as applied to this ledger. */
export type LedgerFeedSink = ReturnType<typeof openFeedSink>;
