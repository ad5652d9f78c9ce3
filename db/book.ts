/**
 * The money operations. Each one is a single SQLite transaction that writes the operation row, its
 * transfers, the balance rows they move, an audit line and an outbox row — or, when refused, nothing but a
 * rejected audit line. Each is idempotent on the caller's operation id: replaying the same request returns
 * the first result; the same id with different content is IDEMPOTENCY_CONFLICT.
 */
import { createHash } from 'node:crypto';
import { type Accounts, type StoreAccountKind, tenderAccountKind } from './accounts';
import { businessDayMemo } from './business-day';
import { type Context, guarded, optionalText, requireText } from './context';
import type { Directory } from './directory';
import { LedgerError, type LedgerErrorCode } from './errors';
import { checkAmount, checkNonNegative, splitRefund, splitSpend } from './money';
import { nextDay } from './reports/day-lock';
import type { CardRow, StaffRow, StoreRow, TerminalRow } from './rows';
import { toCard } from './rows';
import {
  type Balance,
  type Card,
  type CardState,
  type ForfeitBonusInput,
  type ForfeitPointsInput,
  type OperationKind,
  type OperationResult,
  type RedeemPointsInput,
  type RefundInput,
  type SetCardStateInput,
  type SpendInput,
  type SpendPolicy,
  TENDERS,
  type Tender,
  type TopUpInput,
  type TransferCardInput,
  type Unit,
  type VoidInput,
  type WithdrawInput,
} from './types';

export interface OperationRow {
  seq: number;
  id: string;
  kind: OperationKind;
  store_id: string;
  terminal_id: string;
  staff_id: string;
  approved_by: string | null;
  card_id: string | null;
  counterpart_card_id: string | null;
  target_operation_id: string | null;
  amount_fen: number;
  principal_fen: number;
  bonus_fen: number;
  points: number;
  tender: Tender | null;
  tender_reference: string | null;
  memo: string | null;
  card_state: CardState | null;
  business_day: string;
  created_at: number;
  principal_after: number;
  bonus_after: number;
  points_after: number;
  request_hash: string;
}

interface AccountRef {
  id: number;
  code: string;
  unit: Unit;
}

interface Leg {
  debit: AccountRef;
  credit: AccountRef;
  amount: number;
}

/** A card's three accounts with their posted totals. */
interface CardBook {
  card: CardRow;
  principal: AccountRef & { debits: number; credits: number };
  bonus: AccountRef & { debits: number; credits: number };
  points: AccountRef & { debits: number; credits: number };
}

interface Plan {
  kind: OperationKind;
  store: StoreRow;
  terminal: TerminalRow;
  staff: StaffRow;
  approver: StaffRow | null;
  /** The card whose balance the result reports. */
  book: CardBook;
  counterpart: CardRow | null;
  targetOperationId: string | null;
  amountFen: number;
  principalFen: number;
  bonusFen: number;
  points: number;
  tender: Tender | null;
  tenderReference: string | null;
  memo: string | null;
  cardState: CardState | null;
  legs: Leg[];
  /** Extra writes that belong to the same transaction (a card state change). */
  alsoWrite?: (at: number) => void;
}

const NOT_ACTIVE: Record<Exclude<CardState, 'active'>, { code: LedgerErrorCode; message: string }> = {
  frozen: { code: 'CARD_FROZEN', message: 'this card is frozen' },
  lost: { code: 'CARD_LOST', message: 'this card is reported lost' },
  replaced: { code: 'CARD_REPLACED', message: 'this card has been replaced by another card' },
  closed: { code: 'CARD_CLOSED', message: 'this card is closed' },
};

/** Which state changes a cashier may make directly; 'replaced' only comes from a card-to-card transfer. */
const CARD_STATE_CHANGES: Record<CardState, readonly CardState[]> = {
  active: ['frozen', 'lost', 'closed'],
  frozen: ['active', 'lost', 'closed'],
  lost: ['active', 'closed'],
  replaced: [],
  closed: [],
};

const VOIDABLE: readonly OperationKind[] = ['top_up', 'spend', 'refund', 'withdraw', 'points_redeem'];

export function fingerprint(kind: string, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, ...fields]))
    .digest('base64url')
    .slice(0, 22);
}

export function bookModule(ctx: Context, accounts: Accounts, directory: Directory) {
  const { db } = ctx;
  const q = {
    operation: db.prepare<[string], OperationRow>('SELECT * FROM operations WHERE id = ?'),
    cardBook: db.prepare<
      [string],
      { id: number; code: string; kind: string; unit: Unit; debits: number; credits: number }
    >(
      `SELECT a.id, a.code, a.kind, a.unit, b.debits, b.credits
       FROM accounts a JOIN balances b ON b.account_id = a.id WHERE a.card_id = ?`,
    ),
    insertOperation: db.prepare(
      `INSERT INTO operations (id, kind, store_id, terminal_id, staff_id, approved_by, card_id, counterpart_card_id,
         target_operation_id, amount_fen, principal_fen, bonus_fen, points, tender, tender_reference, memo, card_state,
         business_day, created_at, principal_after, bonus_after, points_after, request_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTransfer: db.prepare(
      'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (?, ?, ?, ?)',
    ),
    post: db.prepare('UPDATE balances SET debits = debits + ?, credits = credits + ? WHERE account_id = ?'),
    lastClosedDay: db.prepare<[string], { day: string | null }>(
      'SELECT MAX(business_day) AS day FROM day_closes WHERE store_id = ?',
    ),
    legsOf: db.prepare<
      [number],
      {
        debit_id: number;
        debit_code: string;
        credit_id: number;
        credit_code: string;
        unit: Unit;
        amount: number;
      }
    >(
      `SELECT t.debit_account_id AS debit_id, d.code AS debit_code, t.credit_account_id AS credit_id,
              c.code AS credit_code, d.unit AS unit, t.amount
       FROM transfers t JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id
       WHERE t.operation_seq = ? ORDER BY t.id`,
    ),
    lastMoneyOperation: db.prepare<[string, string], { seq: number | null }>(
      `SELECT MAX(seq) AS seq FROM (
         SELECT MAX(seq) AS seq FROM operations WHERE card_id = ? AND kind != 'card_state'
         UNION ALL
         SELECT MAX(seq) AS seq FROM operations WHERE counterpart_card_id = ?)`,
    ),
    voidOf: db.prepare<[string], { id: string }>(
      `SELECT id FROM operations WHERE target_operation_id = ? AND kind = 'void' LIMIT 1`,
    ),
    refundedSoFar: db.prepare<[string], { amount: number; bonus: number }>(
      `SELECT COALESCE(SUM(r.amount_fen), 0) AS amount, COALESCE(SUM(r.bonus_fen), 0) AS bonus
       FROM operations r
       WHERE r.target_operation_id = ? AND r.kind = 'refund'
         AND NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = r.id AND v.kind = 'void')`,
    ),
  };
  // A store's settings do not change once created, so its row and its business-day clock are kept.
  const storeCache = new Map<string, StoreRow>();
  const dayClocks = new Map<string, (at: number) => string>();

  function storeOf(terminal: TerminalRow): StoreRow {
    let store = storeCache.get(terminal.store_id);
    if (store === undefined) {
      store = directory.storeRow(terminal.store_id);
      storeCache.set(store.id, store);
    }
    return store;
  }

  /**
   * The calendar rule's day, unless that day (or a later one) is closed: then the day after the last closed
   * one, so a closed day's Z report never changes. Read inside the operation's transaction.
   */
  function businessDayIn(store: StoreRow, at: number): string {
    let dayOf = dayClocks.get(store.id);
    if (dayOf === undefined) {
      dayOf = businessDayMemo(store.time_zone, store.day_close_hour);
      dayClocks.set(store.id, dayOf);
    }
    const calendarDay = dayOf(at);
    const closed = q.lastClosedDay.get(store.id)?.day ?? null;
    return closed === null || calendarDay > closed ? calendarDay : nextDay(closed);
  }

  function cardBook(card: CardRow): CardBook {
    const found: Partial<CardBook> = { card };
    for (const row of q.cardBook.all(card.id)) {
      if (row.kind === 'card_principal') found.principal = row;
      else if (row.kind === 'card_bonus') found.bonus = row;
      else if (row.kind === 'card_points') found.points = row;
    }
    if (!found.principal || !found.bonus || !found.points) {
      throw new LedgerError('INVARIANT_BROKEN', 'the card has no accounts', { details: { cardId: card.id } });
    }
    return found as CardBook;
  }

  function requireActive(card: CardRow): void {
    if (card.state !== 'active') {
      const refusal = NOT_ACTIVE[card.state as Exclude<CardState, 'active'>];
      throw new LedgerError(refusal.code, refusal.message, {
        details: { cardId: card.id, state: card.state },
      });
    }
  }

  function storeAccount(store: StoreRow, kind: StoreAccountKind): AccountRef {
    const id = accounts.storeAccounts(store.id)[kind];
    return { id, code: `store:${store.id}:${kind}`, unit: kind === 'points_issued' ? 'points' : 'fen' };
  }

  function tenderOf(value: unknown): Tender {
    if (!TENDERS.includes(value as Tender)) {
      throw new LedgerError('TENDER_INVALID', 'unknown tender', { details: { tender: String(value) } });
    }
    return value as Tender;
  }

  function balanceOf(book: CardBook): Balance {
    return {
      principalFen: book.principal.credits - book.principal.debits,
      bonusFen: book.bonus.credits - book.bonus.debits,
      points: book.points.credits - book.points.debits,
    };
  }

  function resultOf(row: OperationRow, replayed: boolean): OperationResult {
    return {
      operationId: row.id,
      kind: row.kind,
      cardId: row.card_id ?? '',
      amountFen: row.amount_fen,
      principalFen: row.principal_fen,
      bonusFen: row.bonus_fen,
      points: row.points,
      balanceAfter: {
        principalFen: row.principal_after,
        bonusFen: row.bonus_after,
        points: row.points_after,
      },
      businessDay: row.business_day,
      createdAt: row.created_at,
      replayed,
    };
  }

  /**
   * The common path of every operation: replay check, plan (validation and the transfers it implies), and
   * the writes. `fields` are the request's content for the idempotency fingerprint.
   */
  function run(
    kind: OperationKind,
    input: { operationId: unknown; staffId: unknown; terminalId: unknown },
    fields: readonly unknown[],
    plan: () => Plan,
  ): OperationRow & { replayed: boolean } {
    return guarded(ctx, `operation.${kind}`, input, () => {
      const operationId = requireText(input.operationId, 'operationId', 64);
      const hash = fingerprint(kind, fields);
      const existing = q.operation.get(operationId);
      if (existing) {
        if (existing.kind === kind && existing.request_hash === hash) return { ...existing, replayed: true };
        throw new LedgerError(
          'IDEMPOTENCY_CONFLICT',
          'this operation id was already used for a different request',
          {
            details: { operationId, existingKind: existing.kind },
          },
        );
      }
      return { ...commit(operationId, hash, plan()), replayed: false };
    });
  }

  function commit(operationId: string, hash: string, plan: Plan): OperationRow {
    const at = ctx.now();
    const day = businessDayIn(plan.store, at);
    // Net movement per account, so each balance row is written once.
    const moves = new Map<number, { debits: number; credits: number }>();
    for (const leg of plan.legs) {
      const debit = moves.get(leg.debit.id) ?? { debits: 0, credits: 0 };
      debit.debits += leg.amount;
      moves.set(leg.debit.id, debit);
      const credit = moves.get(leg.credit.id) ?? { debits: 0, credits: 0 };
      credit.credits += leg.amount;
      moves.set(leg.credit.id, credit);
    }
    const net = (account: CardBook['principal']) => {
      const move = moves.get(account.id);
      return account.credits - account.debits + (move ? move.credits - move.debits : 0);
    };
    const after: Balance = {
      principalFen: net(plan.book.principal),
      bonusFen: net(plan.book.bonus),
      points: net(plan.book.points),
    };
    if (after.principalFen < 0 || after.bonusFen < 0 || after.points < 0) {
      throw new LedgerError('INSUFFICIENT_BALANCE', 'the card does not hold enough for this operation', {
        details: { cardId: plan.book.card.id, balance: balanceOf(plan.book) },
      });
    }
    const row: OperationRow = {
      seq: 0,
      id: operationId,
      kind: plan.kind,
      store_id: plan.store.id,
      terminal_id: plan.terminal.id,
      staff_id: plan.staff.id,
      approved_by: plan.approver?.id ?? null,
      card_id: plan.book.card.id,
      counterpart_card_id: plan.counterpart?.id ?? null,
      target_operation_id: plan.targetOperationId,
      amount_fen: plan.amountFen,
      principal_fen: plan.principalFen,
      bonus_fen: plan.bonusFen,
      points: plan.points,
      tender: plan.tender,
      tender_reference: plan.tenderReference,
      memo: plan.memo,
      card_state: plan.cardState,
      business_day: day,
      created_at: at,
      principal_after: after.principalFen,
      bonus_after: after.bonusFen,
      points_after: after.points,
      request_hash: hash,
    };
    row.seq = Number(
      q.insertOperation.run(
        row.id,
        row.kind,
        row.store_id,
        row.terminal_id,
        row.staff_id,
        row.approved_by,
        row.card_id,
        row.counterpart_card_id,
        row.target_operation_id,
        row.amount_fen,
        row.principal_fen,
        row.bonus_fen,
        row.points,
        row.tender,
        row.tender_reference,
        row.memo,
        row.card_state,
        row.business_day,
        row.created_at,
        row.principal_after,
        row.bonus_after,
        row.points_after,
        row.request_hash,
      ).lastInsertRowid,
    );
    for (const leg of plan.legs) q.insertTransfer.run(row.seq, leg.debit.id, leg.credit.id, leg.amount);
    for (const [accountId, move] of moves) {
      if (q.post.run(move.debits, move.credits, accountId).changes !== 1) {
        throw new LedgerError('INVARIANT_BROKEN', 'an account has no balance row', {
          details: { accountId },
        });
      }
    }
    plan.alsoWrite?.(at);
    ctx.audit({
      at,
      action: `operation.${plan.kind}`,
      outcome: 'ok',
      operationId,
      staffId: plan.staff.id,
      terminalId: plan.terminal.id,
      details: plan.approver ? { approvedBy: plan.approver.id } : null,
    });
    ctx.enqueue({
      operationId,
      terminalId: plan.terminal.id,
      storeId: plan.store.id,
      kind: plan.kind,
      at,
      payload: {
        operation: {
          id: row.id,
          kind: row.kind,
          amountFen: row.amount_fen,
          principalFen: row.principal_fen,
          bonusFen: row.bonus_fen,
          points: row.points,
          targetOperationId: row.target_operation_id,
          cardState: row.card_state,
          memo: row.memo,
          businessDay: row.business_day,
          createdAt: row.created_at,
          balanceAfter: after,
        },
        card: { id: plan.book.card.id, cardNumber: plan.book.card.card_number },
        counterpartCard: plan.counterpart
          ? { id: plan.counterpart.id, cardNumber: plan.counterpart.card_number }
          : null,
        staff: { id: plan.staff.id, code: plan.staff.code },
        approval: plan.approver
          ? { staffId: plan.approver.id, code: plan.approver.code, role: plan.approver.role }
          : null,
        tender: plan.tender,
        tenderReference: plan.tenderReference,
        transfers: plan.legs.map((leg) => ({
          debit: leg.debit.code,
          credit: leg.credit.code,
          amount: leg.amount,
          unit: leg.debit.unit,
        })),
      },
    });
    return row;
  }

  /** Who acts, where, and in which store. */
  function actors(input: { staffId: unknown; terminalId: unknown }) {
    const terminal = directory.terminalRow(input.terminalId);
    const staff = directory.activeStaff(input.staffId);
    return { terminal, staff, store: storeOf(terminal) };
  }

  /** Points off a card back to the store's points account: a gift redeemed, or points forfeited at a close. */
  function pointsToStore(
    kind: 'points_redeem' | 'forfeit',
    input: { cardId: unknown; points: unknown; staffId: unknown; terminalId: unknown; memo?: unknown },
    options: {
      approver: StaffRow | null;
      targetOperationId: string | null;
      checkCard: (card: CardRow) => void;
    },
  ): Plan {
    const { terminal, staff, store } = actors(input);
    const points = checkNonNegative(input.points, 'points');
    if (points === 0) {
      throw new LedgerError('AMOUNT_INVALID', 'at least one point', { details: { points } });
    }
    const memo = optionalText(input.memo, 'memo');
    const card = directory.cardRow(input.cardId);
    options.checkCard(card);
    const book = cardBook(card);
    const held = balanceOf(book).points;
    if (held < points) {
      throw new LedgerError('INSUFFICIENT_POINTS', 'the card does not hold that many points', {
        details: {
          cardId: card.id,
          points: held,
          [kind === 'forfeit' ? 'pointsForfeited' : 'pointsRedeemed']: points,
        },
      });
    }
    return {
      kind,
      store,
      terminal,
      staff,
      approver: options.approver,
      book,
      counterpart: null,
      targetOperationId: options.targetOperationId,
      amountFen: 0,
      principalFen: 0,
      bonusFen: 0,
      points: -points,
      tender: null,
      tenderReference: null,
      memo,
      cardState: null,
      legs: [{ debit: book.points, credit: storeAccount(store, 'points_issued'), amount: points }],
    };
  }

  function legsOnly(legs: Array<Leg | null>): Leg[] {
    return legs.filter((leg): leg is Leg => leg !== null && leg.amount > 0);
  }

  return {
    topUp(input: TopUpInput): OperationResult {
      const fields = [
        input.cardId,
        input.amountFen,
        input.tender,
        input.tenderReference ?? null,
        input.bonusFen,
        input.points,
        input.staffId,
        input.terminalId,
      ];
      const row = run('top_up', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const amount = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const bonus = checkNonNegative(input.bonusFen, 'bonusFen', store.single_operation_limit_fen);
        const points = checkNonNegative(input.points, 'points');
        const tender = tenderOf(input.tender);
        const tenderReference = optionalText(input.tenderReference, 'tenderReference', 128);
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const book = cardBook(card);
        return {
          kind: 'top_up',
          store,
          terminal,
          staff,
          approver: null,
          book,
          counterpart: null,
          targetOperationId: null,
          amountFen: amount,
          principalFen: amount,
          bonusFen: bonus,
          points,
          tender,
          tenderReference,
          memo: null,
          cardState: null,
          legs: legsOnly([
            { debit: storeAccount(store, tenderAccountKind(tender)), credit: book.principal, amount },
            { debit: storeAccount(store, 'bonus_expense'), credit: book.bonus, amount: bonus },
            { debit: storeAccount(store, 'points_issued'), credit: book.points, amount: points },
          ]),
        };
      });
      return resultOf(row, row.replayed);
    },

    spend(input: SpendInput): OperationResult {
      const fields: unknown[] = [
        input.cardId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.memo ?? null,
      ];
      // Points joined the request later: a charge without them keeps the fingerprint it always had.
      const earned = input.pointsEarned ?? 0;
      const redeemed = input.pointsRedeemed ?? 0;
      if (earned !== 0 || redeemed !== 0) fields.push(earned, redeemed);
      // So did approvals: an unapproved charge keeps its fingerprint too.
      if (input.approvedBy) fields.push(input.approvedBy);
      // And split payment: a charge the card pays alone keeps its fingerprint.
      const other = input.otherTender ?? null;
      if (other !== null) fields.push(other.tender, other.amountFen, other.reference);
      const row = run('spend', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = input.approvedBy ? directory.approver(input.approvedBy) : null;
        const total = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const otherTender = other === null ? null : tenderOf(other.tender);
        const otherFen = other === null ? 0 : checkAmount(other.amountFen, total, 'otherTender.amountFen');
        if (otherFen >= total) {
          throw new LedgerError('AMOUNT_INVALID', 'a split payment leaves part of the charge to the card', {
            details: { amountFen: total, otherFen },
          });
        }
        const otherReference = optionalText(other?.reference, 'otherTender.reference', 128);
        // What the card pays: all of it, or what the other tender does not.
        const amount = total - otherFen;
        const memo = optionalText(input.memo, 'memo');
        const pointsEarned = checkNonNegative(earned, 'pointsEarned');
        const pointsRedeemed = checkNonNegative(redeemed, 'pointsRedeemed');
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const book = cardBook(card);
        const held = balanceOf(book);
        if (held.points < pointsRedeemed) {
          throw new LedgerError('INSUFFICIENT_POINTS', 'the card does not hold that many points', {
            details: { cardId: card.id, points: held.points, pointsRedeemed },
          });
        }
        if (held.principalFen + held.bonusFen < amount) {
          throw new LedgerError('INSUFFICIENT_BALANCE', 'the card does not hold enough for this purchase', {
            details: { cardId: card.id, amountFen: amount, availableFen: held.principalFen + held.bonusFen },
          });
        }
        const split = splitSpend(amount, held.principalFen, held.bonusFen, store.spend_policy as SpendPolicy);
        const revenue = storeAccount(store, 'stored_value_revenue');
        return {
          kind: 'spend',
          store,
          terminal,
          staff,
          approver,
          book,
          counterpart: null,
          targetOperationId: null,
          amountFen: total,
          principalFen: split.principalFen,
          bonusFen: split.bonusFen,
          // The card's net points movement: earned on this charge less redeemed against it.
          points: pointsEarned - pointsRedeemed,
          tender: otherTender,
          tenderReference: otherReference,
          memo,
          cardState: null,
          legs: legsOnly([
            { debit: book.principal, credit: revenue, amount: split.principalFen },
            { debit: book.bonus, credit: revenue, amount: split.bonusFen },
            // The other tender's leg of a split payment (none when the card pays it all).
            otherTender === null
              ? null
              : {
                  debit: storeAccount(store, tenderAccountKind(otherTender)),
                  credit: revenue,
                  amount: otherFen,
                },
            { debit: book.points, credit: storeAccount(store, 'points_issued'), amount: pointsRedeemed },
            { debit: storeAccount(store, 'points_issued'), credit: book.points, amount: pointsEarned },
          ]),
        };
      });
      return resultOf(row, row.replayed);
    },

    /**
     * Takes bonus off a card into the store's breakage: a bonus that lapsed (kind expiry) or one forfeited
     * when a card closes or a top-up is refunded (kind forfeit). Bonus was never paid for, so it never
     * becomes stored-value revenue.
     */
    forfeitBonus(input: ForfeitBonusInput): OperationResult {
      const fields = [
        input.kind,
        input.cardId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.targetOperationId ?? null,
        input.memo ?? null,
      ];
      const kind = input.kind;
      if (kind !== 'expiry' && kind !== 'forfeit') {
        throw new LedgerError('INPUT_INVALID', 'bonus leaves a card by expiry or forfeit', {
          details: { kind: String(kind) },
        });
      }
      const row = run(kind, input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = input.approvedBy ? directory.approver(input.approvedBy) : null;
        const amount = checkAmount(input.amountFen, Number.MAX_SAFE_INTEGER);
        const memo = optionalText(input.memo, 'memo');
        const targetOperationId = optionalText(input.targetOperationId, 'targetOperationId', 64);
        const card = directory.cardRow(input.cardId);
        if (card.state === 'replaced' || card.state === 'closed') requireActive(card);
        const book = cardBook(card);
        if (balanceOf(book).bonusFen < amount) {
          throw new LedgerError('INSUFFICIENT_BALANCE', 'the card holds less bonus than that', {
            details: { cardId: card.id, amountFen: amount, bonusFen: balanceOf(book).bonusFen },
          });
        }
        return {
          kind,
          store,
          terminal,
          staff,
          approver,
          book,
          counterpart: null,
          targetOperationId,
          amountFen: amount,
          principalFen: 0,
          bonusFen: amount,
          points: 0,
          tender: null,
          tenderReference: null,
          memo,
          cardState: null,
          legs: [{ debit: book.bonus, credit: storeAccount(store, 'breakage'), amount }],
        };
      });
      return resultOf(row, row.replayed);
    },

    /**
     * Takes every point off a card into the store's points account when the card closes with points on it
     * (kind forfeit, like forfeited bonus). Points are their own unit: they go back where they were issued
     * from, the account redemptions return them to, and never touch money accounts.
     */
    forfeitPoints(input: ForfeitPointsInput): OperationResult {
      const fields = [
        'points',
        input.cardId,
        input.points,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.targetOperationId ?? null,
        input.memo ?? null,
      ];
      const row = run('forfeit', input, fields, () =>
        pointsToStore('forfeit', input, {
          approver: input.approvedBy ? directory.approver(input.approvedBy) : null,
          targetOperationId: optionalText(input.targetOperationId, 'targetOperationId', 64),
          // The close itself comes after the forfeit, so the card is still open; a closed one holds nothing.
          checkCard: (card) => {
            if (card.state === 'replaced' || card.state === 'closed') requireActive(card);
          },
        }),
      );
      return resultOf(row, row.replayed);
    },

    /** Points off a card for something other than a charge (a gift from the catalogue). */
    redeemPoints(input: RedeemPointsInput): OperationResult {
      const fields = [input.cardId, input.points, input.staffId, input.terminalId, input.memo ?? null];
      if (input.approvedBy) fields.push(input.approvedBy);
      const row = run('points_redeem', input, fields, () =>
        pointsToStore('points_redeem', input, {
          approver: input.approvedBy ? directory.approver(input.approvedBy) : null,
          targetOperationId: null,
          checkCard: requireActive,
        }),
      );
      return resultOf(row, row.replayed);
    },

    refund(input: RefundInput): OperationResult {
      const fields = [
        input.originalOperationId,
        input.amountFen,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.memo ?? null,
      ];
      const row = run('refund', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = directory.approver(input.approvedBy);
        const amount = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const memo = optionalText(input.memo, 'memo');
        const originalId = requireText(input.originalOperationId, 'originalOperationId', 64);
        const original = q.operation.get(originalId);
        if (!original) {
          throw new LedgerError('OPERATION_UNKNOWN', 'no such operation', {
            details: { operationId: originalId },
          });
        }
        if (original.kind !== 'spend' || q.voidOf.get(original.id)) {
          throw new LedgerError(
            'OPERATION_NOT_REFUNDABLE',
            'only a spend that was not voided can be refunded',
            {
              details: { operationId: original.id, kind: original.kind },
            },
          );
        }
        const refunded = q.refundedSoFar.get(original.id) ?? { amount: 0, bonus: 0 };
        // A refund goes back to the card, so at most what the card paid: of a split payment, the other
        // tender's part goes back only with a void of the whole charge.
        const cardPaid = original.principal_fen + original.bonus_fen;
        if (refunded.amount + amount > cardPaid) {
          throw new LedgerError(
            'REFUND_EXCEEDS_ORIGINAL',
            'the refund is more than what is left of the purchase',
            {
              details: { operationId: original.id, refundableFen: cardPaid - refunded.amount },
            },
          );
        }
        const card = directory.cardRow(original.card_id);
        requireActive(card);
        const book = cardBook(card);
        const split = splitRefund(
          amount,
          { principalFen: original.principal_fen, bonusFen: original.bonus_fen },
          { amountFen: refunded.amount, bonusFen: refunded.bonus },
        );
        const revenue = storeAccount(directory.storeRow(original.store_id), 'stored_value_revenue');
        return {
          kind: 'refund',
          store,
          terminal,
          staff,
          approver,
          book,
          counterpart: null,
          targetOperationId: original.id,
          amountFen: amount,
          principalFen: split.principalFen,
          bonusFen: split.bonusFen,
          points: 0,
          tender: null,
          tenderReference: null,
          memo,
          cardState: null,
          legs: legsOnly([
            { debit: revenue, credit: book.principal, amount: split.principalFen },
            { debit: revenue, credit: book.bonus, amount: split.bonusFen },
          ]),
        };
      });
      return resultOf(row, row.replayed);
    },

    withdraw(input: WithdrawInput): OperationResult {
      const fields = [
        input.cardId,
        input.amountFen,
        input.tender,
        input.tenderReference ?? null,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
      ];
      const row = run('withdraw', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = directory.approver(input.approvedBy);
        const amount = checkAmount(input.amountFen, store.single_operation_limit_fen);
        const tender = tenderOf(input.tender);
        const tenderReference = optionalText(input.tenderReference, 'tenderReference', 128);
        const card = directory.cardRow(input.cardId);
        requireActive(card);
        const book = cardBook(card);
        const held = balanceOf(book);
        if (held.principalFen < amount) {
          throw new LedgerError(
            'INSUFFICIENT_BALANCE',
            'only principal can be withdrawn, and the card holds less',
            {
              details: { cardId: card.id, amountFen: amount, principalFen: held.principalFen },
            },
          );
        }
        return {
          kind: 'withdraw',
          store,
          terminal,
          staff,
          approver,
          book,
          counterpart: null,
          targetOperationId: null,
          amountFen: amount,
          principalFen: amount,
          bonusFen: 0,
          points: 0,
          tender,
          tenderReference,
          memo: null,
          cardState: null,
          legs: [{ debit: book.principal, credit: storeAccount(store, tenderAccountKind(tender)), amount }],
        };
      });
      return resultOf(row, row.replayed);
    },

    voidOperation(input: VoidInput): OperationResult {
      const fields = [
        input.targetOperationId,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
        input.reason ?? null,
      ];
      const row = run('void', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = directory.approver(input.approvedBy);
        const reason = optionalText(input.reason, 'reason');
        const targetId = requireText(input.targetOperationId, 'targetOperationId', 64);
        const target = q.operation.get(targetId);
        if (!target)
          throw new LedgerError('OPERATION_UNKNOWN', 'no such operation', {
            details: { operationId: targetId },
          });
        if (!VOIDABLE.includes(target.kind)) {
          throw new LedgerError('VOID_NOT_ALLOWED', `a ${target.kind} operation cannot be voided`, {
            details: { operationId: target.id, kind: target.kind },
          });
        }
        if (q.voidOf.get(target.id)) {
          throw new LedgerError('ALREADY_VOIDED', 'this operation is already voided', {
            details: { operationId: target.id },
          });
        }
        const card = directory.cardRow(target.card_id);
        const last = q.lastMoneyOperation.get(card.id, card.id)?.seq ?? null;
        if (last !== target.seq) {
          throw new LedgerError('VOID_NOT_LAST', 'only the last operation on a card can be voided', {
            details: { operationId: target.id, cardId: card.id },
          });
        }
        requireActive(card);
        const book = cardBook(card);
        const legs = q.legsOf.all(target.seq).map((leg) => ({
          debit: { id: leg.credit_id, code: leg.credit_code, unit: leg.unit },
          credit: { id: leg.debit_id, code: leg.debit_code, unit: leg.unit },
          amount: leg.amount,
        }));
        return {
          kind: 'void',
          store,
          terminal,
          staff,
          approver,
          book,
          counterpart: null,
          targetOperationId: target.id,
          amountFen: target.amount_fen,
          principalFen: target.principal_fen,
          bonusFen: target.bonus_fen,
          points: target.points,
          tender: target.tender,
          tenderReference: target.tender_reference,
          memo: reason,
          cardState: null,
          legs,
        };
      });
      return resultOf(row, row.replayed);
    },

    transferCard(input: TransferCardInput): OperationResult {
      const fields = [
        input.fromCardId,
        input.toCardId,
        input.staffId,
        input.terminalId,
        input.approvedBy ?? null,
      ];
      const row = run('transfer', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const approver = directory.approver(input.approvedBy);
        const from = directory.cardRow(input.fromCardId);
        const to = directory.cardRow(input.toCardId);
        if (from.id === to.id) {
          throw new LedgerError('INPUT_INVALID', 'a card cannot be transferred to itself', {
            details: { cardId: from.id },
          });
        }
        if (from.member_id !== to.member_id) {
          throw new LedgerError('CARD_MEMBER_MISMATCH', 'both cards must belong to the same member', {
            details: { fromCardId: from.id, toCardId: to.id },
          });
        }
        if (from.state === 'replaced' || from.state === 'closed') requireActive(from);
        requireActive(to);
        const source = cardBook(from);
        const target = cardBook(to);
        const moved = balanceOf(source);
        return {
          kind: 'transfer',
          store,
          terminal,
          staff,
          approver,
          book: target,
          counterpart: from,
          targetOperationId: null,
          amountFen: moved.principalFen + moved.bonusFen,
          principalFen: moved.principalFen,
          bonusFen: moved.bonusFen,
          points: moved.points,
          tender: null,
          tenderReference: null,
          memo: null,
          cardState: null,
          legs: legsOnly([
            { debit: source.principal, credit: target.principal, amount: moved.principalFen },
            { debit: source.bonus, credit: target.bonus, amount: moved.bonusFen },
            { debit: source.points, credit: target.points, amount: moved.points },
          ]),
          alsoWrite: (at) => directory.writeCardState(from.id, 'replaced', at),
        };
      });
      return resultOf(row, row.replayed);
    },

    setCardState(input: SetCardStateInput): Card {
      const fields = [input.cardId, input.state, input.staffId, input.terminalId, input.reason ?? null];
      const row = run('card_state', input, fields, () => {
        const { terminal, staff, store } = actors(input);
        const card = directory.cardRow(input.cardId);
        const reason = optionalText(input.reason, 'reason');
        const state = input.state;
        const allowed = CARD_STATE_CHANGES[card.state as CardState] ?? [];
        if (!allowed.includes(state)) {
          throw new LedgerError('CARD_STATE_INVALID', `a ${card.state} card cannot become ${String(state)}`, {
            details: { cardId: card.id, from: card.state, to: state },
          });
        }
        const book = cardBook(card);
        const held = balanceOf(book);
        if (state === 'closed' && (held.principalFen !== 0 || held.bonusFen !== 0 || held.points !== 0)) {
          throw new LedgerError(
            'CARD_HAS_BALANCE',
            'withdraw or transfer the balance before closing the card',
            {
              details: { cardId: card.id, balance: held },
            },
          );
        }
        return {
          kind: 'card_state',
          store,
          terminal,
          staff,
          approver: null,
          book,
          counterpart: null,
          targetOperationId: null,
          amountFen: 0,
          principalFen: 0,
          bonusFen: 0,
          points: 0,
          tender: null,
          tenderReference: null,
          memo: reason,
          cardState: state,
          legs: [],
          alsoWrite: (at) => directory.writeCardState(card.id, state, at),
        };
      });
      return toCard(directory.cardRow(row.card_id));
    },

    cardBook,
    balanceOf,
  };
}

export type Book = ReturnType<typeof bookModule>;
