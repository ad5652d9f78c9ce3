/**
 * The one path every money operation takes: the replay check on the caller's operation id, the plan, and
 * the writes of one transaction (the operation row, its transfers, the balance rows they move, an audit line
 * and an outbox row). A refusal (a LedgerError from the plan) leaves nothing but a rejected audit line.
 */
import { createHash } from 'node:crypto';
import { businessDayMemo } from '../business-day';
import { type Context, guarded, requireText } from '../context';
import { LedgerError } from '../errors';
import { nextDay } from '../reports/day-lock';
import type { OperationRow, StoreRow } from '../rows';
import type { Balance, Database, OperationKind, OperationResult } from '../types';
import type { CardAccounts, Plan, PostedAccount } from './plan';

/** The request's content, so a replayed id with different content is told apart. */
export function fingerprint(kind: string, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, ...fields]))
    .digest('base64url')
    .slice(0, 22);
}

export function balanceOf(accounts: CardAccounts): Balance {
  const held = (account: PostedAccount) => account.credits - account.debits;
  return {
    principalFen: held(accounts.principal),
    bonusFen: held(accounts.bonus),
    points: held(accounts.points),
  };
}

export function resultOf(row: OperationRow, replayed: boolean): OperationResult {
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

/** Who sent the request, as far as the audit line of a refusal can tell. */
export interface Sender {
  operationId: unknown;
  staffId: unknown;
  terminalId: unknown;
}

/**
 * The operations row insert, by column name. The feed's mirror of another till's operation writes the same
 * row, so both use this one statement.
 */
export function prepareOperationInsert(db: Database) {
  return db.prepare<[Omit<OperationRow, 'seq'>]>(
    `INSERT INTO operations (id, kind, store_id, terminal_id, staff_id, approved_by, card_id, counterpart_card_id,
       target_operation_id, amount_fen, principal_fen, bonus_fen, points, tender, tender_reference, memo, card_state,
       business_day, created_at, principal_after, bonus_after, points_after, request_hash)
     VALUES (@id, @kind, @store_id, @terminal_id, @staff_id, @approved_by, @card_id, @counterpart_card_id,
       @target_operation_id, @amount_fen, @principal_fen, @bonus_fen, @points, @tender, @tender_reference, @memo,
       @card_state, @business_day, @created_at, @principal_after, @bonus_after, @points_after, @request_hash)`,
  );
}

export function operationWriter(ctx: Context) {
  const { db } = ctx;
  const q = {
    operation: db.prepare<[string], OperationRow>('SELECT * FROM operations WHERE id = ?'),
    insertOperation: prepareOperationInsert(db),
    insertTransfer: db.prepare(
      'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (?, ?, ?, ?)',
    ),
    post: db.prepare('UPDATE balances SET debits = debits + ?, credits = credits + ? WHERE account_id = ?'),
    lastClosedDay: db.prepare<[string], { day: string | null }>(
      'SELECT MAX(business_day) AS day FROM day_closes WHERE store_id = ?',
    ),
  };
  // A store's settings do not change once created, so its business-day clock is kept.
  const dayClocks = new Map<string, (at: number) => string>();

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

  /**
   * The common path of every operation: replay check, plan (validation and the transfers it implies), and
   * the writes. `fields` are the request's content for the idempotency fingerprint.
   */
  function run(
    kind: OperationKind,
    input: Sender,
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
    const net = (account: PostedAccount) => {
      const move = moves.get(account.id);
      return account.credits - account.debits + (move ? move.credits - move.debits : 0);
    };
    const after: Balance = {
      principalFen: net(plan.accounts.principal),
      bonusFen: net(plan.accounts.bonus),
      points: net(plan.accounts.points),
    };
    if (after.principalFen < 0 || after.bonusFen < 0 || after.points < 0) {
      throw new LedgerError('INSUFFICIENT_BALANCE', 'the card does not hold enough for this operation', {
        details: { cardId: plan.accounts.card.id, balance: balanceOf(plan.accounts) },
      });
    }
    const values: Omit<OperationRow, 'seq'> = {
      id: operationId,
      kind: plan.kind,
      store_id: plan.store.id,
      terminal_id: plan.terminal.id,
      staff_id: plan.staff.id,
      approved_by: plan.approver?.id ?? null,
      card_id: plan.accounts.card.id,
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
      business_day: businessDayIn(plan.store, at),
      created_at: at,
      principal_after: after.principalFen,
      bonus_after: after.bonusFen,
      points_after: after.points,
      request_hash: hash,
    };
    const row: OperationRow = { seq: Number(q.insertOperation.run(values).lastInsertRowid), ...values };
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
        card: { id: plan.accounts.card.id, cardNumber: plan.accounts.card.card_number },
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

  return {
    run,
    /** The operation with this id, if one was written. */
    operation: (operationId: string): OperationRow | undefined => q.operation.get(operationId),
  };
}

export type OperationWriter = ReturnType<typeof operationWriter>;
