/**
 * The business day an operation belongs to once days can be closed. The calendar rule (store time zone and
 * day-close hour) picks a day; if that day, or a later one, is already closed, the operation goes to the day
 * after the last closed one. A closed day never receives another operation, and nothing is ever dated
 * before the day the calendar gives.
 *
 * Whoever stamps an operation's business day (the ledger, the host, the shifts module) calls
 * `businessDayFor` instead of the bare calendar rule.
 */
import type { Database, Ledger } from '../types';

export function lastClosedDay(db: Database, storeId: string): string | null {
  const row = db
    .prepare<[string], { day: string | null }>(
      'SELECT MAX(business_day) AS day FROM day_closes WHERE store_id = ?',
    )
    .get(storeId);
  return row?.day ?? null;
}

export function isDayClosed(db: Database, storeId: string, businessDay: string): boolean {
  return (
    db
      .prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM day_closes WHERE store_id = ? AND business_day = ?',
      )
      .get(storeId, businessDay) !== undefined
  );
}

/** YYYY-MM-DD plus one calendar day. */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  return next.toISOString().slice(0, 10);
}

/**
 * The day an operation goes to, given the day the calendar rule picked: that day while it is open, else the
 * day after the last closed one. The ledger calls this with its own handle inside the operation's
 * transaction, so a day closed a moment earlier is respected.
 */
export function openDayFrom(db: Database, storeId: string, calendarDay: string): string {
  const closed = lastClosedDay(db, storeId);
  if (closed === null || calendarDay > closed) return calendarDay;
  return nextDay(closed);
}

/** The open business day an operation at `at` (UTC ms) in this store belongs to. */
export function businessDayFor(ledger: Ledger, storeId: string, at: number): string {
  return openDayFrom(ledger.sqlite, storeId, ledger.businessDayOf(storeId, at));
}
