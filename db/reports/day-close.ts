/**
 * Closing a business day (日结). A manager closes a day once every shift of the store is signed off; the Z
 * report computed at that moment is stored with the day, and from then on the day is locked: operations
 * stamped later go to the next open day (see day-lock), and a reprint reads the stored report, never a new
 * computation, so it is the same paper however the ledger grows.
 */
import type { Ledger } from '../types';
import { analytics } from './analytics';
import { businessDayFor, isDayClosed, lastClosedDay } from './day-lock';
import { CloseError } from './errors';
import { emptyFigures, figureQueries } from './figures';
import { type ZReport, zReportBuilder } from './z-report';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayOf(value: unknown): string {
  if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new CloseError('INPUT_INVALID', 'a business day is written YYYY-MM-DD', {
      details: { businessDay: value },
    });
  }
  return value;
}

export interface BusinessDaysOptions {
  /** Clock, UTC epoch milliseconds. */
  now?: () => number;
}

export function openBusinessDays(ledger: Ledger, options: BusinessDaysOptions = {}) {
  const db = ledger.sqlite;
  const now = options.now ?? Date.now;
  const build = zReportBuilder(ledger);
  const stats = analytics(ledger);
  const figures = figureQueries(db);
  const q = {
    unclosedShifts: db.prepare<[string], { id: string; terminal_id: string; state: string }>(
      "SELECT id, terminal_id, state FROM shifts WHERE store_id = ? AND state != 'closed' ORDER BY opened_at",
    ),
    insert: db.prepare(
      `INSERT INTO day_closes (store_id, business_day, closed_at, closed_by, report, principal_closing_fen,
         bonus_closing_fen) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    stored: db.prepare<[string, string], { report: string }>(
      'SELECT report FROM day_closes WHERE store_id = ? AND business_day = ?',
    ),
    closedDays: db.prepare<[string, number], { business_day: string; closed_at: number; closed_by: string }>(
      `SELECT business_day, closed_at, closed_by FROM day_closes WHERE store_id = ?
       ORDER BY business_day DESC LIMIT ?`,
    ),
  };

  function requireStore(storeId: unknown): string {
    if (typeof storeId !== 'string' || !ledger.store(storeId)) {
      throw new CloseError('STORE_UNKNOWN', 'no such store', { details: { storeId } });
    }
    return storeId;
  }

  return {
    /** The open business day an operation at `at` belongs to, closed days respected. */
    businessDayFor(storeId: string, at: number): string {
      return businessDayFor(ledger, requireStore(storeId), at);
    },

    isDayClosed(storeId: string, businessDay: string): boolean {
      return isDayClosed(db, requireStore(storeId), dayOf(businessDay));
    },

    /** The report of a day as the ledger stands now (an X report for a day still open). */
    zReport(storeId: string, businessDay: string): ZReport {
      return build(requireStore(storeId), dayOf(businessDay), now());
    },

    /**
     * Closes a day: refused while a shift of the store is not signed off, for a day already closed or
     * earlier than one, and for a day that has not begun. The report and the lock commit together.
     */
    closeDay(input: { storeId: string; businessDay: string; managerId: string }): ZReport {
      const storeId = requireStore(input.storeId);
      const day = dayOf(input.businessDay);
      const manager = typeof input.managerId === 'string' ? ledger.staff(input.managerId) : undefined;
      if (!manager || manager.locked) {
        throw new CloseError('STAFF_UNKNOWN', 'managerId is not an active staff member', {
          details: { managerId: input.managerId },
        });
      }
      if (manager.role !== 'manager' && manager.role !== 'admin') {
        throw new CloseError('APPROVER_NOT_MANAGER', 'a manager closes the day', {
          details: { staffId: manager.id, role: manager.role },
        });
      }
      // IMMEDIATE: no operation can commit between the report and the lock.
      return db
        .transaction(() => {
          const at = now();
          const last = lastClosedDay(db, storeId);
          if (last !== null && day <= last) {
            throw new CloseError(
              'DAY_ALREADY_CLOSED',
              `business day ${day} is closed already (through ${last})`,
              {
                details: { businessDay: day, lastClosedDay: last },
              },
            );
          }
          const today = businessDayFor(ledger, storeId, at);
          if (day > today) {
            throw new CloseError('DAY_IN_FUTURE', `business day ${day} has not begun`, {
              details: { businessDay: day, openDay: today },
            });
          }
          const open = q.unclosedShifts.all(storeId);
          if (open.length > 0) {
            throw new CloseError('DAY_HAS_OPEN_SHIFTS', 'every shift must be counted and signed off first', {
              details: {
                shifts: open.map((s) => ({ shiftId: s.id, terminalId: s.terminal_id, state: s.state })),
              },
            });
          }
          const report: ZReport = { ...build(storeId, day, at), closedAt: at, closedBy: manager.id };
          q.insert.run(
            storeId,
            day,
            at,
            manager.id,
            JSON.stringify(report),
            report.liability.principal.closingFen,
            report.liability.bonus.closingFen,
          );
          stats.recordClosedDay(storeId, day);
          return report;
        })
        .immediate();
    },

    /** The Z report exactly as it was when the day closed, for a reprint. */
    storedZReport(storeId: string, businessDay: string): ZReport {
      const row = q.stored.get(requireStore(storeId), dayOf(businessDay));
      if (!row) {
        throw new CloseError('DAY_NOT_CLOSED', `business day ${businessDay} is not closed`, {
          details: { storeId, businessDay },
        });
      }
      const report = JSON.parse(row.report) as ZReport;
      // A report stored before the figures were kept: a closed day's operations never change, so the
      // figures read from them now are the ones the day closed with.
      if (report.figures === undefined) {
        report.figures =
          figures.days(report.storeId, report.businessDay, report.businessDay).get(report.businessDay) ??
          emptyFigures();
      }
      return report;
    },

    /** Closed days, newest first. */
    closedDays(
      storeId: string,
      limit = 100,
    ): Array<{ businessDay: string; closedAt: number; closedBy: string }> {
      return q.closedDays.all(requireStore(storeId), limit).map((row) => ({
        businessDay: row.business_day,
        closedAt: row.closed_at,
        closedBy: row.closed_by,
      }));
    },
  };
}

export type BusinessDays = ReturnType<typeof openBusinessDays>;
