/**
 * Customers' ratings of their visits, taken from the QR on a charge receipt: a token the till signed names the
 * visit, the customer gives 1 to 5 stars once, and the reports count them per store, cashier and ISO week and
 * list the low ones (1 or 2 stars) for a manager to follow up.
 */
import { desc, eq, lte, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { SyncError } from '../errors';
import { type RatingClaims, verifyRatingToken } from '../rating-token';
import { rows } from './database';
import { FEED_LOCK } from './ingest';
import { ratings, stores } from './schema';
import { appendHqOperation, type HqService } from './service';

/** Ratings at or below this are listed for follow-up. */
export const LOW_RATING = 2;
const DEFAULT_ZONE = 'Asia/Shanghai';
const MAX_LOW_LIST = 500;

export interface RatingVisit {
  claims: RatingClaims;
  /** The stars already given for this visit, or null when it is still to be rated. */
  stars: number | null;
  storeName: string;
}

export interface RatingGroup {
  storeId: string;
  storeName: string;
  staffId: string;
  staffName: string;
  week: string;
  count: number;
  /** Mean stars, two decimals. */
  average: number;
  low: number;
}

export interface LowRating {
  operationId: string;
  storeId: string;
  terminalId: string;
  staffName: string;
  stars: number;
  comment: string | null;
  visitAt: number;
  ratedAt: number;
}

export interface RatingsReport {
  groups: RatingGroup[];
  low: LowRating[];
}

/** `2026-W49` for a moment, in the given zone (ISO 8601: weeks start on Monday, week 1 holds a Thursday). */
export function isoWeek(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
  const date = new Date(Date.UTC(part('year'), part('month') - 1, part('day')));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export class HqRatings {
  constructor(private readonly service: HqService) {}

  private get database() {
    return this.service.database;
  }

  private claimsOf(token: string, now: number): Promise<RatingClaims> {
    return verifyRatingToken(token, (terminalId) => this.service.keyOf(terminalId), now);
  }

  /** The visit a token names and whether it was rated; refuses a forged, altered or expired token. */
  async visit(token: string, now: number): Promise<RatingVisit> {
    const claims = await this.claimsOf(token, now);
    return this.database.exclusive(async () => {
      const [found] = await this.database.db
        .select({ stars: ratings.stars })
        .from(ratings)
        .where(eq(ratings.operationId, claims.operationId));
      const [store] = await this.database.db
        .select({ name: stores.name })
        .from(stores)
        .where(eq(stores.storeId, claims.storeId));
      return { claims, stars: found?.stars ?? null, storeName: store?.name ?? claims.storeId };
    });
  }

  /** Records the stars (and the customer's comment) for the visit; a visit already rated keeps its first rating (RATING_ALREADY_GIVEN). */
  async rate(
    token: string,
    stars: number,
    now: number,
    comment: string | null = null,
  ): Promise<RatingClaims> {
    if (!Number.isInteger(stars) || stars < 1 || stars > 5) {
      throw new SyncError('RATING_INVALID', 'A rating is 1 to 5 stars.', { details: { stars } });
    }
    const claims = await this.claimsOf(token, now);
    // The rating and its feed entry commit together: the store's tills take it with their next pull.
    const inserted = await this.database.exclusive(() =>
      this.database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${FEED_LOCK})`);
        const [store] = await tx
          .select({ timeZone: stores.timeZone })
          .from(stores)
          .where(eq(stores.storeId, claims.storeId));
        const rating = {
          operationId: claims.operationId,
          terminalId: claims.terminalId,
          storeId: claims.storeId,
          staffId: claims.staffId,
          staffName: claims.staffName,
          stars,
          comment,
          week: isoWeek(claims.at, store?.timeZone ?? DEFAULT_ZONE),
          visitAt: claims.at,
          ratedAt: now,
        };
        const added = await tx
          .insert(ratings)
          .values(rating)
          .onConflictDoNothing({ target: ratings.operationId })
          .returning({ operationId: ratings.operationId });
        if (added.length > 0) {
          await appendHqOperation(tx, {
            operationId: `hq-rating-${ulid(now)}`,
            storeId: claims.storeId,
            kind: 'rating',
            payload: { rating },
            cardId: null,
            now,
          });
        }
        return added;
      }),
    );
    if (inserted.length === 0) {
      throw new SyncError('RATING_ALREADY_GIVEN', 'This visit has already been rated.', {
        details: { operationId: claims.operationId },
      });
    }
    return claims;
  }

  /** Ratings per store, cashier and week (newest week first), and the low ones, newest first. */
  async report(): Promise<RatingsReport> {
    return this.database.exclusive(async () => {
      const groups = await rows<{
        store_id: string;
        store_name: string | null;
        staff_id: string;
        staff_name: string;
        week: string;
        count: string | number;
        total: string | number;
        low: string | number;
      }>(
        this.database.db,
        sql`SELECT r.store_id, s.name AS store_name, r.staff_id, max(r.staff_name) AS staff_name, r.week,
                   count(*) AS count, sum(r.stars) AS total,
                   count(*) FILTER (WHERE r.stars <= ${LOW_RATING}) AS low
              FROM hq_ratings r LEFT JOIN hq_stores s ON s.store_id = r.store_id
             GROUP BY r.store_id, s.name, r.staff_id, r.week
             ORDER BY r.week DESC, r.store_id, staff_name`,
      );
      const low = await this.database.db
        .select({
          operationId: ratings.operationId,
          storeId: ratings.storeId,
          terminalId: ratings.terminalId,
          staffName: ratings.staffName,
          stars: ratings.stars,
          comment: ratings.comment,
          visitAt: ratings.visitAt,
          ratedAt: ratings.ratedAt,
        })
        .from(ratings)
        .where(lte(ratings.stars, LOW_RATING))
        .orderBy(desc(ratings.ratedAt))
        .limit(MAX_LOW_LIST);
      return {
        groups: groups.map((row) => ({
          storeId: row.store_id,
          storeName: row.store_name ?? row.store_id,
          staffId: row.staff_id,
          staffName: row.staff_name,
          week: row.week,
          count: Number(row.count),
          average: Math.round((Number(row.total) / Number(row.count)) * 100) / 100,
          low: Number(row.low),
        })),
        low,
      };
    });
  }
}
