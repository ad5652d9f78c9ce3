/**
 * Shifts: open a drawer with a counted float, move cash in and out with a reason, take the blind
 * count, have a manager sign off the variance, and hand the drawer to the next cashier.
 *
 * The expected amount is never shown before the count is stored (the count is blind); once the count is in,
 * expected and variance are fixed with it and cannot change. Expected cash is the float plus every cash
 * movement through the drawer by operations on this terminal during the shift: cash top-ups, cash
 * withdrawals of principal, voids of cash operations (a cash refund), and cash in and out.
 */

import { CloseError } from '../reports/errors';
import type { SqlRow } from '../rows';
import type { Ledger, Staff } from '../types';
import { type CashCount, countTotal, normalizeCount } from './denominations';
import { auditDrawer, postDrawerMovement, SHIFT_OWN_ENTRY_KINDS } from './drawer-movements';
import type { shifts } from './schema';

export type ShiftState = 'open' | 'counted' | 'closed';

export interface Shift {
  id: string;
  storeId: string;
  terminalId: string;
  cashierId: string;
  state: ShiftState;
  openedAt: number;
  floatFen: number;
  floatCount: Record<string, number>;
  previousShiftId: string | null;
  countedAt: number | null;
  countedFen: number | null;
  closingCount: Record<string, number> | null;
  /** Null until the blind count is stored. */
  expectedFen: number | null;
  /** counted − expected: positive is over, negative is short. Null until counted. */
  varianceFen: number | null;
  varianceReason: string | null;
  signedOffBy: string | null;
  closedAt: number | null;
  handedOverFen: number | null;
}

/** Where the expected cash comes from, in fen; each line is signed (into the drawer is positive). */
export interface ExpectedCash {
  floatFen: number;
  topUpsFen: number;
  withdrawalsFen: number;
  voidsFen: number;
  cashInFen: number;
  cashOutFen: number;
  otherFen: number;
  expectedFen: number;
}

export interface CashMovement {
  operationId: string;
  shiftId: string;
  kind: 'float' | 'cash_in' | 'cash_out' | 'cash_drop' | 'cash_over_short';
  amountFen: number;
  reason: string;
  staffId: string;
  at: number;
}

type ShiftRow = SqlRow<typeof shifts>;

function toShift(row: ShiftRow): Shift {
  return {
    id: row.id,
    storeId: row.store_id,
    terminalId: row.terminal_id,
    cashierId: row.cashier_id,
    state: row.state,
    openedAt: row.opened_at,
    floatFen: row.float_fen,
    floatCount: JSON.parse(row.float_count) as Record<string, number>,
    previousShiftId: row.previous_shift_id,
    countedAt: row.counted_at,
    countedFen: row.counted_fen,
    closingCount:
      row.closing_count === null ? null : (JSON.parse(row.closing_count) as Record<string, number>),
    expectedFen: row.expected_fen,
    varianceFen: row.variance_fen,
    varianceReason: row.variance_reason,
    signedOffBy: row.signed_off_by,
    closedAt: row.closed_at,
    handedOverFen: row.handed_over_fen,
  };
}

function text(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new CloseError('INPUT_INVALID', `${field} must be text of 1 to ${max} characters`, {
      details: { field },
    });
  }
  return value.trim();
}

function positiveFen(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new CloseError('AMOUNT_INVALID', `${field} must be a whole number of fen above zero`, {
      details: { field, value },
    });
  }
  return value;
}

export interface ShiftsOptions {
  /** Clock, UTC epoch milliseconds. */
  now?: () => number;
}

export function openShifts(ledger: Ledger, options: ShiftsOptions = {}) {
  const db = ledger.sqlite;
  const now = options.now ?? Date.now;
  const q = {
    shift: db.prepare<[string], ShiftRow>('SELECT * FROM shifts WHERE id = ?'),
    unclosedOnTerminal: db.prepare<[string], ShiftRow>(
      "SELECT * FROM shifts WHERE terminal_id = ? AND state != 'closed' ORDER BY opened_at DESC LIMIT 1",
    ),
    // Newest first by the terminal's index; closed ones only, for reprinting their slips.
    recentClosed: db.prepare<[string, number], ShiftRow>(
      "SELECT * FROM shifts WHERE terminal_id = ? AND state = 'closed' ORDER BY opened_at DESC LIMIT ?",
    ),
    handedOverFrom: db.prepare<[string], { id: string }>('SELECT id FROM shifts WHERE previous_shift_id = ?'),
    // A counted shift is not open: its expected figure is fixed, so cash taken after the count escapes it too.
    openOnTerminal: db.prepare<[string], { id: string }>(
      "SELECT id FROM shifts WHERE terminal_id = ? AND state = 'open' LIMIT 1",
    ),
    pendingHandover: db.prepare<[string], { id: string; cashier_id: string; handed_over_fen: number }>(
      `SELECT s.id, s.cashier_id, s.handed_over_fen FROM shifts s
       WHERE s.terminal_id = ? AND s.state = 'closed' AND s.handed_over_fen > 0
         AND NOT EXISTS (SELECT 1 FROM shifts n WHERE n.previous_shift_id = s.id)
       ORDER BY s.closed_at DESC LIMIT 1`,
    ),
    unclosedInStore: db.prepare<
      [string],
      { id: string; terminal_id: string; state: string; cashier_id: string }
    >(
      "SELECT id, terminal_id, state, cashier_id FROM shifts WHERE store_id = ? AND state != 'closed' ORDER BY opened_at",
    ),
    insert: db.prepare(
      `INSERT INTO shifts (id, store_id, terminal_id, cashier_id, state, opened_at, float_fen, float_count,
         previous_shift_id) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
    ),
    recordCount: db.prepare(
      `UPDATE shifts SET state = 'counted', counted_at = ?, counted_fen = ?, closing_count = ?, expected_fen = ?,
         variance_fen = ? WHERE id = ? AND state = 'open'`,
    ),
    signOff: db.prepare(
      `UPDATE shifts SET state = 'closed', variance_reason = ?, signed_off_by = ?, closed_at = ?, handed_over_fen = ?
       WHERE id = ? AND state = 'counted'`,
    ),
    insertMovement: db.prepare(
      `INSERT INTO shift_cash_movements (operation_id, shift_id, kind, amount_fen, reason, staff_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    movement: db.prepare<[string], { shift_id: string }>(
      'SELECT shift_id FROM shift_cash_movements WHERE operation_id = ?',
    ),
    movements: db.prepare<
      [string],
      {
        operation_id: string;
        shift_id: string;
        kind: CashMovement['kind'];
        amount_fen: number;
        reason: string;
        staff_id: string;
        at: number;
      }
    >('SELECT * FROM shift_cash_movements WHERE shift_id = ? ORDER BY at, operation_id'),
    drawerAccount: db.prepare<[string], { id: number }>('SELECT id FROM accounts WHERE code = ?'),
    // Operations are found through the business-day index: a shift's operations are dated on or after the
    // day it opened (a closed day pushes them later, never earlier).
    drawerByKind: db.prepare<
      [{ drawer: number; day: string; terminal: string; from: number; until: number }],
      { kind: string; net: number }
    >(
      `SELECT o.kind AS kind,
              SUM(CASE WHEN t.debit_account_id = @drawer THEN t.amount ELSE 0 END)
            - SUM(CASE WHEN t.credit_account_id = @drawer THEN t.amount ELSE 0 END) AS net
       FROM operations o JOIN transfers t ON t.operation_seq = o.seq
       WHERE o.business_day >= @day AND o.terminal_id = @terminal AND o.created_at >= @from
         AND o.created_at <= @until AND (t.debit_account_id = @drawer OR t.credit_account_id = @drawer)
       GROUP BY o.kind`,
    ),
  };

  function shiftRow(shiftId: unknown): ShiftRow {
    const row = typeof shiftId === 'string' ? q.shift.get(shiftId) : undefined;
    if (!row) throw new CloseError('SHIFT_UNKNOWN', 'no such shift', { details: { shiftId } });
    return row;
  }

  function activeStaff(staffId: unknown, field: string): Staff {
    const found = typeof staffId === 'string' ? ledger.staff(staffId) : undefined;
    if (!found || found.locked) {
      throw new CloseError('STAFF_UNKNOWN', `${field} is not an active staff member`, {
        details: { field, staffId },
      });
    }
    return found;
  }

  function manager(staffId: unknown): Staff {
    const found = activeStaff(staffId, 'managerId');
    if (found.role !== 'manager' && found.role !== 'admin') {
      throw new CloseError('APPROVER_NOT_MANAGER', 'a manager must sign off a shift', {
        details: { staffId, role: found.role },
      });
    }
    return found;
  }

  function requireState(row: ShiftRow, state: ShiftState): void {
    if (row.state === state) return;
    const code =
      state === 'open' ? 'SHIFT_NOT_OPEN' : state === 'counted' ? 'SHIFT_NOT_COUNTED' : 'SHIFT_NOT_CLOSED';
    throw new CloseError(code, `the shift is ${row.state}, not ${state}`, {
      details: { shiftId: row.id, state: row.state },
    });
  }

  function expectedCashOf(row: ShiftRow, until: number): ExpectedCash {
    const drawer = q.drawerAccount.get(`store:${row.store_id}:cash_drawer`);
    const result: ExpectedCash = {
      floatFen: row.float_fen,
      topUpsFen: 0,
      withdrawalsFen: 0,
      voidsFen: 0,
      cashInFen: 0,
      cashOutFen: 0,
      otherFen: 0,
      expectedFen: row.float_fen,
    };
    if (!drawer) return result;
    const openedDay = ledger.businessDayOf(row.store_id, row.opened_at);
    const movements = q.drawerByKind.all({
      drawer: drawer.id,
      day: openedDay,
      terminal: row.terminal_id,
      from: row.opened_at,
      until,
    });
    for (const { kind, net } of movements) {
      if ((SHIFT_OWN_ENTRY_KINDS as readonly string[]).includes(kind)) continue;
      if (kind === 'top_up') result.topUpsFen += net;
      else if (kind === 'withdraw') result.withdrawalsFen += net;
      else if (kind === 'void') result.voidsFen += net;
      else if (kind === 'cash_in') result.cashInFen += net;
      else if (kind === 'cash_out') result.cashOutFen += net;
      else result.otherFen += net;
      result.expectedFen += net;
    }
    return result;
  }

  function openWith(
    input: { shiftId: string; terminalId: string; cashierId: string; floatCount: CashCount; at?: number },
    previous: ShiftRow | null,
    floatOperationId: string | null,
  ): Shift {
    const shiftId = text(input.shiftId, 'shiftId', 64);
    const terminal = typeof input.terminalId === 'string' ? ledger.terminal(input.terminalId) : undefined;
    if (!terminal) {
      throw new CloseError('TERMINAL_UNKNOWN', 'no such terminal', {
        details: { terminalId: input.terminalId },
      });
    }
    const cashier = activeStaff(input.cashierId, 'cashierId');
    const floatCount = normalizeCount(input.floatCount);
    const floatFen = countTotal(floatCount);
    const at = input.at ?? now();
    return db
      .transaction(() => {
        if (q.shift.get(shiftId)) {
          throw new CloseError('SHIFT_ID_TAKEN', 'a shift with this id exists', { details: { shiftId } });
        }
        const unclosed = q.unclosedOnTerminal.get(terminal.id);
        if (unclosed) {
          throw new CloseError('SHIFT_ALREADY_OPEN', 'the terminal has a shift that is not closed yet', {
            details: { terminalId: terminal.id, shiftId: unclosed.id },
          });
        }
        if (previous !== null) {
          if (previous.terminal_id !== terminal.id) {
            throw new CloseError('INPUT_INVALID', 'a drawer is handed over at the same terminal', {
              details: { fromShiftId: previous.id },
            });
          }
          if (q.handedOverFrom.get(previous.id)) {
            throw new CloseError('INPUT_INVALID', 'this drawer was already handed over', {
              details: { fromShiftId: previous.id },
            });
          }
          if (floatFen !== previous.handed_over_fen) {
            throw new CloseError('FLOAT_MISMATCH', 'the counted float differs from the cash handed over', {
              details: { countedFen: floatFen, handedOverFen: previous.handed_over_fen },
            });
          }
        }
        q.insert.run(
          shiftId,
          terminal.storeId,
          terminal.id,
          cashier.id,
          at,
          floatFen,
          JSON.stringify(floatCount),
          previous?.id ?? null,
        );
        if (floatOperationId !== null) {
          postDrawerMovement(ledger, {
            operationId: floatOperationId,
            kind: 'float',
            storeId: terminal.storeId,
            terminalId: terminal.id,
            staffId: cashier.id,
            approvedBy: null,
            signedAmountFen: floatFen,
            counterAccount: 'cash_movement',
            memo: 'float from the safe',
            at,
          });
          q.insertMovement.run(
            floatOperationId,
            shiftId,
            'float',
            floatFen,
            'float from the safe',
            cashier.id,
            at,
          );
        }
        return toShift(shiftRow(shiftId));
      })
      .immediate();
  }

  function move(
    kind: 'cash_in' | 'cash_out',
    input: {
      operationId: string;
      shiftId: string;
      amountFen: number;
      reason: string;
      staffId: string;
      approvedBy?: string | null;
    },
  ): CashMovement {
    try {
      return moveOnce(kind, input);
    } catch (error) {
      // A refused movement leaves a rejected audit line, like a refused card operation.
      if (error instanceof CloseError) {
        try {
          auditDrawer(ledger, {
            at: now(),
            action: `operation.${kind}`,
            outcome: 'rejected',
            code: error.code,
            operationId: typeof input.operationId === 'string' ? input.operationId : null,
            staffId: typeof input.staffId === 'string' ? input.staffId : null,
            terminalId: null,
            details: { message: error.message, shiftId: String(input.shiftId), ...(error.details ?? {}) },
          });
        } catch {
          // A ledger that cannot take an audit line is reported by the original error.
        }
      }
      throw error;
    }
  }

  function moveOnce(
    kind: 'cash_in' | 'cash_out',
    input: {
      operationId: string;
      shiftId: string;
      amountFen: number;
      reason: string;
      staffId: string;
      approvedBy?: string | null;
    },
  ): CashMovement {
    const operationId = text(input.operationId, 'operationId', 64);
    const amount = positiveFen(input.amountFen, 'amountFen');
    const reason = text(input.reason, 'reason');
    const staff = activeStaff(input.staffId, 'staffId');
    const approver = input.approvedBy ? manager(input.approvedBy) : null;
    return db
      .transaction(() => {
        const row = shiftRow(input.shiftId);
        const recorded = q.movement.get(operationId);
        if (!recorded) requireState(row, 'open');
        const at = now();
        const posted = postDrawerMovement(ledger, {
          operationId,
          kind,
          storeId: row.store_id,
          terminalId: row.terminal_id,
          staffId: staff.id,
          approvedBy: approver?.id ?? null,
          signedAmountFen: kind === 'cash_in' ? amount : -amount,
          counterAccount: 'cash_movement',
          memo: reason,
          at,
        });
        if (posted) q.insertMovement.run(operationId, row.id, kind, amount, reason, staff.id, at);
        const stored = q.movements.all(row.id).find((m) => m.operation_id === operationId);
        if (!stored) {
          throw new CloseError('IDEMPOTENCY_CONFLICT', 'this operation id belongs to another shift', {
            details: { operationId },
          });
        }
        return {
          operationId: stored.operation_id,
          shiftId: stored.shift_id,
          kind: stored.kind,
          amountFen: stored.amount_fen,
          reason: stored.reason,
          staffId: stored.staff_id,
          at: stored.at,
        };
      })
      .immediate();
  }

  return {
    /** True while a shift is open (not yet counted) on the terminal: the only time its drawer takes cash. */
    hasOpenShift(terminalId: string): boolean {
      return q.openOnTerminal.get(terminalId) !== undefined;
    },
    /** The last closed shift's handed-over cash that no shift has taken over yet, if any. */
    pendingHandover(
      terminalId: string,
    ): { shiftId: string; cashierId: string; handedOverFen: number } | undefined {
      const row = q.pendingHandover.get(terminalId);
      return row === undefined
        ? undefined
        : { shiftId: row.id, cashierId: row.cashier_id, handedOverFen: row.handed_over_fen };
    },
    /** Every shift in the store not yet signed off, oldest first. */
    unclosedInStore(storeId: string): { id: string; terminalId: string; state: string; cashierId: string }[] {
      return q.unclosedInStore.all(storeId).map((row) => ({
        id: row.id,
        terminalId: row.terminal_id,
        state: row.state,
        cashierId: row.cashier_id,
      }));
    },
    /** Opens a drawer with a float brought from the safe, counted by denomination. */
    open(input: {
      shiftId: string;
      operationId: string;
      terminalId: string;
      cashierId: string;
      floatCount: CashCount;
    }): Shift {
      return openWith(input, null, text(input.operationId, 'operationId', 64));
    },

    /**
     * The next cashier takes over a closed shift's drawer and counts what was left in it; a count that
     * differs from what the manager signed over is refused, so the difference is found now, not at night.
     */
    handover(input: {
      shiftId: string;
      fromShiftId: string;
      cashierId: string;
      floatCount: CashCount;
    }): Shift {
      const previous = shiftRow(input.fromShiftId);
      requireState(previous, 'closed');
      return openWith({ ...input, terminalId: previous.terminal_id }, previous, null);
    },

    cashIn(input: {
      operationId: string;
      shiftId: string;
      amountFen: number;
      reason: string;
      staffId: string;
      approvedBy?: string | null;
    }): CashMovement {
      return move('cash_in', input);
    },

    cashOut(input: {
      operationId: string;
      shiftId: string;
      amountFen: number;
      reason: string;
      staffId: string;
      approvedBy?: string | null;
    }): CashMovement {
      return move('cash_out', input);
    },

    /**
     * The blind count. Stores what the cashier counted, and only then fixes the expected amount and the
     * variance; the answer is the first time either is shown.
     */
    count(input: { shiftId: string; count: CashCount; staffId: string }): Shift & { expected: ExpectedCash } {
      const counted = normalizeCount(input.count);
      const countedFen = countTotal(counted);
      activeStaff(input.staffId, 'staffId');
      return db
        .transaction(() => {
          const row = shiftRow(input.shiftId);
          requireState(row, 'open');
          const at = now();
          const expected = expectedCashOf(row, at);
          q.recordCount.run(
            at,
            countedFen,
            JSON.stringify(counted),
            expected.expectedFen,
            countedFen - expected.expectedFen,
            row.id,
          );
          return { ...toShift(shiftRow(row.id)), expected };
        })
        .immediate();
    },

    /**
     * A manager signs the count off. A variance needs its reason. The variance is recorded against the
     * over/short account, and what is not left for the next cashier is dropped to the safe, so the ledger's
     * drawer holds exactly the cash in the drawer.
     */
    signOff(input: {
      shiftId: string;
      managerId: string;
      varianceReason?: string | null;
      handOverFen?: number;
      dropOperationId: string;
      overShortOperationId: string;
    }): Shift {
      const approver = manager(input.managerId);
      const dropId = text(input.dropOperationId, 'dropOperationId', 64);
      const overShortId = text(input.overShortOperationId, 'overShortOperationId', 64);
      const handOver = input.handOverFen ?? 0;
      if (!Number.isSafeInteger(handOver) || handOver < 0) {
        throw new CloseError('AMOUNT_INVALID', 'handOverFen must be a whole number of fen ≥ 0', {
          details: { handOverFen: handOver },
        });
      }
      return db
        .transaction(() => {
          const row = shiftRow(input.shiftId);
          requireState(row, 'counted');
          const counted = row.counted_fen ?? 0;
          const variance = row.variance_fen ?? 0;
          const reason =
            input.varianceReason === undefined ||
            input.varianceReason === null ||
            input.varianceReason.trim() === ''
              ? null
              : text(input.varianceReason, 'varianceReason');
          if (variance !== 0 && reason === null) {
            throw new CloseError(
              'VARIANCE_REASON_REQUIRED',
              'a count that differs from expected needs a reason',
              {
                details: { shiftId: row.id, varianceFen: variance },
              },
            );
          }
          if (handOver > counted) {
            throw new CloseError('HANDOVER_EXCEEDS_COUNT', 'cannot hand over more cash than was counted', {
              details: { handOverFen: handOver, countedFen: counted },
            });
          }
          const at = now();
          if (variance !== 0) {
            const memo = reason ?? '';
            postDrawerMovement(ledger, {
              operationId: overShortId,
              kind: 'cash_over_short',
              storeId: row.store_id,
              terminalId: row.terminal_id,
              staffId: row.cashier_id,
              approvedBy: approver.id,
              signedAmountFen: variance,
              counterAccount: 'cash_over_short',
              memo,
              at,
            });
            q.insertMovement.run(overShortId, row.id, 'cash_over_short', variance, memo, approver.id, at);
          }
          const drop = counted - handOver;
          if (drop > 0) {
            postDrawerMovement(ledger, {
              operationId: dropId,
              kind: 'cash_drop',
              storeId: row.store_id,
              terminalId: row.terminal_id,
              staffId: row.cashier_id,
              approvedBy: approver.id,
              signedAmountFen: -drop,
              counterAccount: 'cash_movement',
              memo: 'drop to the safe',
              at,
            });
            q.insertMovement.run(dropId, row.id, 'cash_drop', drop, 'drop to the safe', approver.id, at);
          }
          q.signOff.run(reason, approver.id, at, handOver, row.id);
          return toShift(shiftRow(row.id));
        })
        .immediate();
    },

    /** A shift as stored; expected and variance stay null until the blind count is in. */
    shift(shiftId: string): Shift | undefined {
      const row = q.shift.get(shiftId);
      return row ? toShift(row) : undefined;
    },

    /**
     * Where a counted shift's expected figure came from, as fixed by its count; undefined while the shift is
     * open, so the count stays blind.
     */
    expectedCash(shiftId: string): ExpectedCash | undefined {
      const row = q.shift.get(shiftId);
      if (!row || row.counted_at === null) return undefined;
      return expectedCashOf(row, row.counted_at);
    },

    /** The terminal's last signed-off shifts, newest first. */
    recentClosed(terminalId: string, limit: number): Shift[] {
      return q.recentClosed.all(terminalId, limit).map(toShift);
    },

    /** The terminal's shift that is not closed yet, if any. */
    currentShift(terminalId: string): Shift | undefined {
      const row = q.unclosedOnTerminal.get(terminalId);
      return row ? toShift(row) : undefined;
    },

    /** Cash in, cash out, float, drop and over/short of a shift, in order. */
    cashMovements(shiftId: string): CashMovement[] {
      return q.movements.all(shiftId).map((m) => ({
        operationId: m.operation_id,
        shiftId: m.shift_id,
        kind: m.kind,
        amountFen: m.amount_fen,
        reason: m.reason,
        staffId: m.staff_id,
        at: m.at,
      }));
    },
  };
}

export type Shifts = ReturnType<typeof openShifts>;
