/**
 * The store's customers' ratings: one per visit (the first stands), from HQ's page via the feed or
 * from the customer screen, and the report a manager reads for a range of business days: count and average
 * per ISO week and per cashier, and the low ones (1 or 2 stars) to follow up.
 */
import { businessDay } from '../business-day';
import type { Ledger } from '../types';
import { RatingError } from './errors';

/** Ratings at or below this are listed for follow-up (as HQ lists them). */
export const LOW_RATING = 2;
/** The longest low-ratings list one report carries; the count per group still counts them all. */
const MAX_LOW_LIST = 500;
const DAY_MS = 86_400_000;

export type RatingSource = 'receipt' | 'screen';

export interface RatingInput {
  operationId: string;
  storeId: string;
  terminalId: string;
  staffId: string;
  staffName: string;
  stars: number;
  comment?: string | null;
  source: RatingSource;
  visitAt: number;
  ratedAt: number;
}

export interface RatingGroup {
  count: number;
  /** Mean stars, two decimals. */
  average: number;
  low: number;
}

export interface RatingsReport {
  fromDay: string;
  toDay: string;
  all: RatingGroup;
  /** Per ISO week, by its Monday (YYYY-MM-DD), oldest first. */
  weeks: Array<RatingGroup & { week: string }>;
  /** Per cashier, lowest average first. */
  staff: Array<RatingGroup & { staffId: string; staffName: string }>;
  /** 1 and 2 stars, newest visit first. */
  low: Array<{
    operationId: string;
    businessDay: string;
    visitAt: number;
    staffId: string;
    staffName: string;
    stars: number;
    comment: string | null;
    source: RatingSource;
  }>;
}

/** Monday of the ISO week holding a YYYY-MM-DD day. */
function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - offset * DAY_MS).toISOString().slice(0, 10);
}

function groupOf(count: number, total: number, low: number): RatingGroup {
  return { count, average: count === 0 ? 0 : Math.round((total / count) * 100) / 100, low };
}

export function openRatings(ledger: Ledger) {
  const db = ledger.sqlite;
  const q = {
    insert: db.prepare(
      `INSERT INTO customer_ratings (operation_id, store_id, terminal_id, staff_id, staff_name, stars, comment,
         source, visit_at, business_day, rated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (operation_id) DO NOTHING`,
    ),
    one: db.prepare<[string], { stars: number }>('SELECT stars FROM customer_ratings WHERE operation_id = ?'),
    operationDay: db.prepare<[string], { business_day: string }>(
      'SELECT business_day FROM operations WHERE id = ?',
    ),
    store: db.prepare<[string], { time_zone: string; day_close_hour: number }>(
      'SELECT time_zone, day_close_hour FROM stores WHERE id = ?',
    ),
    days: db.prepare<
      [number, string, string, string],
      { day: string; staff_id: string; staff_name: string; n: number; total: number; low: number }
    >(
      `SELECT business_day AS day, staff_id, MAX(staff_name) AS staff_name, COUNT(*) AS n, SUM(stars) AS total,
              SUM(stars <= ?) AS low
       FROM customer_ratings WHERE store_id = ? AND business_day >= ? AND business_day <= ?
       GROUP BY business_day, staff_id`,
    ),
    low: db.prepare<
      [string, string, string, number, number],
      {
        operation_id: string;
        business_day: string;
        visit_at: number;
        staff_id: string;
        staff_name: string;
        stars: number;
        comment: string | null;
        source: RatingSource;
      }
    >(
      `SELECT operation_id, business_day, visit_at, staff_id, staff_name, stars, comment, source
       FROM customer_ratings WHERE store_id = ? AND business_day >= ? AND business_day <= ? AND stars <= ?
       ORDER BY visit_at DESC, operation_id LIMIT ?`,
    ),
  };

  /** The visit's business day: its operation's when this ledger holds it, else the store's calendar rule. */
  function dayOf(input: RatingInput): string {
    const day = q.operationDay.get(input.operationId)?.business_day;
    if (day !== undefined) return day;
    const store = q.store.get(input.storeId);
    return businessDay(input.visitAt, store?.time_zone ?? 'Asia/Shanghai', store?.day_close_hour ?? 0);
  }

  function check(input: RatingInput): void {
    if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) {
      throw new RatingError('RATING_INVALID', 'A rating is 1 to 5 stars.', {
        details: { stars: input.stars },
      });
    }
  }

  function insert(input: RatingInput): boolean {
    const comment = input.comment?.trim().slice(0, 500) || null;
    const changes = q.insert.run(
      input.operationId,
      input.storeId,
      input.terminalId,
      input.staffId,
      input.staffName.slice(0, 64),
      input.stars,
      comment,
      input.source,
      input.visitAt,
      dayOf(input),
      input.ratedAt,
    ).changes;
    return changes === 1;
  }

  return {
    /** Records a rating; a visit already rated keeps its first (RATING_ALREADY_GIVEN). */
    record(input: RatingInput): void {
      check(input);
      if (!insert(input)) {
        throw new RatingError('RATING_ALREADY_GIVEN', 'This visit has already been rated.', {
          details: { operationId: input.operationId },
        });
      }
    },
    /** Takes a rating HQ sent down; false when the visit was already rated here (the first stands). */
    take(input: RatingInput): boolean {
      check(input);
      return insert(input);
    },
    /** The stars given for a visit, or null. */
    starsOf(operationId: string): number | null {
      return q.one.get(operationId)?.stars ?? null;
    },
    report(storeId: string, fromDay: string, toDay: string): RatingsReport {
      const weeks = new Map<string, { n: number; total: number; low: number }>();
      const staff = new Map<string, { name: string; n: number; total: number; low: number }>();
      let n = 0;
      let total = 0;
      let low = 0;
      for (const row of q.days.all(LOW_RATING, storeId, fromDay, toDay)) {
        const week = weeks.get(mondayOf(row.day)) ?? { n: 0, total: 0, low: 0 };
        week.n += row.n;
        week.total += row.total;
        week.low += row.low;
        weeks.set(mondayOf(row.day), week);
        const person = staff.get(row.staff_id) ?? { name: row.staff_name, n: 0, total: 0, low: 0 };
        person.n += row.n;
        person.total += row.total;
        person.low += row.low;
        staff.set(row.staff_id, person);
        n += row.n;
        total += row.total;
        low += row.low;
      }
      return {
        fromDay,
        toDay,
        all: groupOf(n, total, low),
        weeks: [...weeks]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([week, g]) => ({ week, ...groupOf(g.n, g.total, g.low) })),
        staff: [...staff]
          .map(([staffId, g]) => ({ staffId, staffName: g.name, ...groupOf(g.n, g.total, g.low) }))
          .sort((a, b) => a.average - b.average || a.staffName.localeCompare(b.staffName)),
        low: q.low.all(storeId, fromDay, toDay, LOW_RATING, MAX_LOW_LIST).map((row) => ({
          operationId: row.operation_id,
          businessDay: row.business_day,
          visitAt: row.visit_at,
          staffId: row.staff_id,
          staffName: row.staff_name,
          stars: row.stars,
          comment: row.comment,
          source: row.source,
        })),
      };
    },
  };
}

export type CustomerRatings = ReturnType<typeof openRatings>;
