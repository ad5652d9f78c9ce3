/** Read-only questions about the ledger: balances, statements, operation lists and card lookups. */
import type { Context } from './context';
import type { Directory } from './directory';
import { LedgerError } from './errors';
import { normalizeUid } from './members-and-cards';
import type { Operations } from './operations';
import { type CardRow, type OperationRow, toCard, toMember } from './rows';
import type { Balance, CardWithMember, OperationSummary, OperationsFilter, StatementLine } from './types';

const LOOKUP = `SELECT c.*, m.id AS m_id, m.store_id AS m_store_id, m.name AS m_name, m.phone AS m_phone,
    m.created_at AS m_created_at, a.kind AS account_kind, b.debits, b.credits
  FROM cards c JOIN members m ON m.id = c.member_id
  JOIN accounts a ON a.card_id = c.id JOIN balances b ON b.account_id = a.id`;

interface LookupRow extends CardRow {
  m_id: string;
  m_store_id: string;
  m_name: string;
  m_phone: string | null;
  m_created_at: number;
  account_kind: string;
  debits: number;
  credits: number;
}
/**
 * A day's or a shift's list is read whole for closing, so the default is the ceiling rather than a page
 * size that could silently cut a report short.
 */
const MAX_LIMIT = 100_000;

type SummaryRow = OperationRow & { voided_by: string | null };

const VOIDED_BY = `(SELECT v.id FROM operations v WHERE v.target_operation_id = o.id AND v.kind = 'void') AS voided_by`;

export function toSummary(row: SummaryRow): OperationSummary {
  return {
    operationId: row.id,
    kind: row.kind,
    cardId: row.card_id,
    counterpartCardId: row.counterpart_card_id,
    targetOperationId: row.target_operation_id,
    amountFen: row.amount_fen,
    principalFen: row.principal_fen,
    bonusFen: row.bonus_fen,
    points: row.points,
    tender: row.tender,
    tenderReference: row.tender_reference,
    staffId: row.staff_id,
    approvedBy: row.approved_by,
    terminalId: row.terminal_id,
    businessDay: row.business_day,
    createdAt: row.created_at,
    memo: row.memo,
    cardState: row.card_state,
    voidedBy: row.voided_by,
  };
}

export function queriesModule(ctx: Context, directory: Directory, operations: Operations) {
  const { db } = ctx;
  const q = {
    operation: db.prepare<[string], SummaryRow>(`SELECT o.*, ${VOIDED_BY} FROM operations o WHERE o.id = ?`),
    // One statement per lookup (the card, its member and its three balances): this is the hot read at the
    // counter, run on every tap or swipe.
    cardByUid: db.prepare<[string], LookupRow>(`${LOOKUP} WHERE c.uid = ?`),
    cardByNumber: db.prepare<[string], LookupRow>(`${LOOKUP} WHERE c.card_number = ?`),
    operationsOfCard: db.prepare<[string, string], OperationRow>(
      `SELECT * FROM operations WHERE card_id = ?
       UNION ALL SELECT * FROM operations WHERE counterpart_card_id = ? ORDER BY seq`,
    ),
    movesOfAccounts: db.prepare<
      [number, number, number, number, number, number],
      { seq: number; account: number; delta: number }
    >(
      `SELECT operation_seq AS seq, credit_account_id AS account, amount AS delta
         FROM transfers WHERE credit_account_id IN (?, ?, ?)
       UNION ALL
       SELECT operation_seq AS seq, debit_account_id AS account, -amount AS delta
         FROM transfers WHERE debit_account_id IN (?, ?, ?)`,
    ),
  };

  function withMember(rows: LookupRow[]): CardWithMember | undefined {
    const first = rows[0];
    if (!first) return undefined;
    const balance = { principalFen: 0, bonusFen: 0, points: 0 };
    for (const row of rows) {
      const held = row.credits - row.debits;
      if (row.account_kind === 'card_principal') balance.principalFen = held;
      else if (row.account_kind === 'card_bonus') balance.bonusFen = held;
      else if (row.account_kind === 'card_points') balance.points = held;
    }
    return {
      ...toCard(first),
      member: toMember({
        id: first.m_id,
        store_id: first.m_store_id,
        name: first.m_name,
        phone: first.m_phone,
        created_at: first.m_created_at,
      }),
      balance,
    };
  }

  return {
    balance(cardId: string): Balance {
      return operations.balanceOf(operations.cardAccounts(directory.cardRow(cardId)));
    },

    /**
     * Every operation that touched the card within [from, to), in commit order, with the card's change and
     * the running balance after it. The running balance counts the card's whole history, so the first line
     * of a period carries on from what the card held before it.
     */
    statement(cardId: string, period: { from: number; to: number }): StatementLine[] {
      if (!Number.isSafeInteger(period.from) || !Number.isSafeInteger(period.to) || period.to < period.from) {
        throw new LedgerError(
          'INPUT_INVALID',
          'a statement period is two UTC millisecond instants, from ≤ to',
        );
      }
      const { principal, bonus, points } = operations.cardAccounts(directory.cardRow(cardId));
      const deltas = new Map<number, { principal: number; bonus: number; points: number }>();
      for (const move of q.movesOfAccounts.all(
        principal.id,
        bonus.id,
        points.id,
        principal.id,
        bonus.id,
        points.id,
      )) {
        const delta = deltas.get(move.seq) ?? { principal: 0, bonus: 0, points: 0 };
        if (move.account === principal.id) delta.principal += move.delta;
        else if (move.account === bonus.id) delta.bonus += move.delta;
        else delta.points += move.delta;
        deltas.set(move.seq, delta);
      }
      const running = { principalFen: 0, bonusFen: 0, points: 0 };
      const lines: StatementLine[] = [];
      for (const row of q.operationsOfCard.all(cardId, cardId)) {
        const delta = deltas.get(row.seq) ?? { principal: 0, bonus: 0, points: 0 };
        running.principalFen += delta.principal;
        running.bonusFen += delta.bonus;
        running.points += delta.points;
        if (row.created_at < period.from || row.created_at >= period.to) continue;
        lines.push({
          operationId: row.id,
          kind: row.kind,
          createdAt: row.created_at,
          businessDay: row.business_day,
          principalDeltaFen: delta.principal,
          bonusDeltaFen: delta.bonus,
          pointsDelta: delta.points,
          balanceAfter: { ...running },
          staffId: row.staff_id,
          terminalId: row.terminal_id,
          memo: row.memo,
        });
      }
      return lines;
    },

    operationsOf(filter: OperationsFilter): OperationSummary[] {
      const where: string[] = [];
      const params: unknown[] = [];
      // A card's operations come from its two indexes (as the card, as the counterpart of a transfer).
      let source = 'operations';
      if (filter.cardId !== undefined) {
        source = `(SELECT * FROM operations WHERE card_id = ?
                   UNION ALL SELECT * FROM operations WHERE counterpart_card_id = ?)`;
        params.push(filter.cardId, filter.cardId);
      }
      if (filter.businessDay !== undefined) {
        where.push('business_day = ?');
        params.push(filter.businessDay);
      }
      if (filter.staffId !== undefined) {
        where.push('staff_id = ?');
        params.push(filter.staffId);
      }
      if (filter.terminalId !== undefined) {
        where.push('terminal_id = ?');
        params.push(filter.terminalId);
      }
      if (filter.kinds !== undefined && filter.kinds.length > 0) {
        where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
        params.push(...filter.kinds);
      }
      if (filter.from !== undefined) {
        where.push('created_at >= ?');
        params.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('created_at < ?');
        params.push(filter.to);
      }
      const limit = filter.limit ?? MAX_LIMIT;
      if (!Number.isSafeInteger(limit) || limit <= 0 || limit > MAX_LIMIT) {
        throw new LedgerError('INPUT_INVALID', `limit must be 1 to ${MAX_LIMIT}`);
      }
      params.push(limit);
      const direction = filter.order === 'newest_first' ? 'DESC' : 'ASC';
      const sql = `SELECT o.*, ${VOIDED_BY} FROM ${source} AS o
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.seq ${direction} LIMIT ?`;
      return (db.prepare(sql).all(...params) as SummaryRow[]).map(toSummary);
    },

    operation(operationId: string): OperationSummary | undefined {
      const row = q.operation.get(operationId);
      return row ? toSummary(row) : undefined;
    },

    findCardByUid(uidHex: string): CardWithMember | undefined {
      return withMember(q.cardByUid.all(normalizeUid(uidHex)));
    },

    findCardByNumber(cardNumber: string): CardWithMember | undefined {
      return typeof cardNumber === 'string' ? withMember(q.cardByNumber.all(cardNumber)) : undefined;
    },
  };
}
