/**
 * Drawer movements that are not sales (the float, cash in and out, the drop to the safe at close, the
 * over/short recorded at sign-off) as ledger operations: one operations row and one balanced transfer between
 * the store's cash drawer and the store's cash-movement (safe) or over/short account, with the balance rows
 * updated in the same transaction. The ledger's invariant check covers them like any other transfer.
 */
import { createHash } from 'node:crypto';
import { type AuditLine, type Context, createContext } from '../context';
import { businessDayFor } from '../reports/day-lock';
import { CloseError } from '../reports/errors';
import type { Database, Ledger } from '../types';

export type DrawerOperationKind = 'float' | 'cash_in' | 'cash_out' | 'cash_drop' | 'cash_over_short';

/** Recorded at open and close; they are the shift's own entries, not cash the cashier handled. */
export const SHIFT_OWN_ENTRY_KINDS: readonly DrawerOperationKind[] = [
  'float',
  'cash_drop',
  'cash_over_short',
];

export interface DrawerPosting {
  operationId: string;
  kind: DrawerOperationKind;
  storeId: string;
  terminalId: string;
  staffId: string;
  approvedBy: string | null;
  /** Positive: into the drawer; negative: out of it. */
  signedAmountFen: number;
  counterAccount: 'cash_movement' | 'cash_over_short';
  memo: string;
  at: number;
}

function storeAccount(ledger: Ledger, storeId: string, kind: string): number {
  const db = ledger.sqlite;
  const code = `store:${storeId}:${kind}`;
  const found = db.prepare<[string], { id: number }>('SELECT id FROM accounts WHERE code = ?').get(code);
  if (found) return found.id;
  const { id } = db
    .prepare<[string, string, string], { id: number }>(
      "INSERT INTO accounts (code, kind, unit, store_id, card_id) VALUES (?, ?, 'fen', ?, NULL) RETURNING id",
    )
    .get(code, kind, storeId) as { id: number };
  db.prepare('INSERT INTO balances (account_id, debits, credits, no_overdraft) VALUES (?, 0, 0, 0)').run(id);
  return id;
}

const contexts = new WeakMap<Database, Context>();

/** The ledger's audit writer on this handle: drawer movements go on the same hash chain as card money. */
function auditOn(ledger: Ledger): Context {
  let ctx = contexts.get(ledger.sqlite);
  if (ctx === undefined) {
    ctx = createContext(ledger.sqlite, Date.now);
    contexts.set(ledger.sqlite, ctx);
  }
  return ctx;
}

/** Appends one audit line; inside a transaction it joins it, outside it takes the write lock for itself. */
export function auditDrawer(ledger: Ledger, line: AuditLine): void {
  const ctx = auditOn(ledger);
  if (ledger.sqlite.inTransaction) ctx.audit(line);
  else ledger.sqlite.transaction(() => ctx.audit(line)).immediate();
}

/**
 * Posts one drawer movement with its audit line; must run inside the caller's transaction. A replayed id
 * returns false. Drawer movements stay off the outbox: they move no member's money, and HQ's protocol has
 * no kind for them.
 */
export function postDrawerMovement(ledger: Ledger, posting: DrawerPosting): boolean {
  const db = ledger.sqlite;
  const amount = Math.abs(posting.signedAmountFen);
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        posting.kind,
        posting.storeId,
        posting.terminalId,
        posting.staffId,
        posting.signedAmountFen,
        posting.memo,
      ]),
    )
    .digest('hex');
  const existing = db
    .prepare<[string], { kind: string; request_hash: string }>(
      'SELECT kind, request_hash FROM operations WHERE id = ?',
    )
    .get(posting.operationId);
  if (existing) {
    if (existing.kind === posting.kind && existing.request_hash === hash) return false;
    throw new CloseError('IDEMPOTENCY_CONFLICT', 'this operation id was already used for something else', {
      details: { operationId: posting.operationId, existingKind: existing.kind },
    });
  }
  const day = businessDayFor(ledger, posting.storeId, posting.at);
  const { seq } = db
    .prepare(
      `INSERT INTO operations (id, kind, store_id, terminal_id, staff_id, approved_by, card_id, counterpart_card_id,
         target_operation_id, amount_fen, principal_fen, bonus_fen, points, tender, tender_reference, memo, card_state,
         business_day, created_at, principal_after, bonus_after, points_after, request_hash)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 0, 0, 0, 'cash', NULL, ?, NULL, ?, ?, 0, 0, 0, ?)
       RETURNING seq`,
    )
    .get(
      posting.operationId,
      posting.kind,
      posting.storeId,
      posting.terminalId,
      posting.staffId,
      posting.approvedBy,
      amount,
      posting.memo,
      day,
      posting.at,
      hash,
    ) as { seq: number };
  auditDrawer(ledger, {
    at: posting.at,
    action: `operation.${posting.kind}`,
    outcome: 'ok',
    operationId: posting.operationId,
    staffId: posting.staffId,
    terminalId: posting.terminalId,
    details: {
      signedAmountFen: posting.signedAmountFen,
      memo: posting.memo,
      ...(posting.approvedBy === null ? {} : { approvedBy: posting.approvedBy }),
    },
  });
  if (amount === 0) return true;
  const drawer = storeAccount(ledger, posting.storeId, 'cash_drawer');
  const counter = storeAccount(ledger, posting.storeId, posting.counterAccount);
  const [debit, credit] = posting.signedAmountFen > 0 ? [drawer, counter] : [counter, drawer];
  db.prepare(
    'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (?, ?, ?, ?)',
  ).run(seq, debit, credit, amount);
  const post = db.prepare(
    'UPDATE balances SET debits = debits + ?, credits = credits + ? WHERE account_id = ?',
  );
  post.run(amount, 0, debit);
  post.run(0, amount, credit);
  return true;
}
