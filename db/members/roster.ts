/**
 * The 会员 list: members filtered by tier, segment, last visit, balance and marketing consent, a page at a
 * time, newest visit or largest balance first. Pages are keyset pages: each walks one index of
 * `member_roster` from where the last page stopped (never OFFSET), so page 10,000 costs what page 1 does.
 *
 * Segments follow the reports' rule (`behaviourOf` in db/reports/analytics.ts) over the member's whole
 * history: recency is days since the last charge (since registration before the first), the rhythm is the
 * mean gap between charges, and lost / lapsing / potential / active follow from them.
 */
import type { Database } from '../types';
import { MemberError } from './errors';
import { maskPhone } from './identity';
import type { PersonalFields } from './protect';

export const MEMBER_SEGMENTS = ['active', 'potential', 'lapsing', 'lost'] as const;
export type MemberSegment = (typeof MEMBER_SEGMENTS)[number];
export type MemberListOrder = 'recent' | 'balance';

export interface MemberListFilter {
  /** A tier id, null for members without a tier, absent for every tier. */
  tierId?: string | null;
  segment?: MemberSegment;
  /** Last charge within this many days. */
  visitedWithinDays?: number;
  /** No charge for more than this many days (never charged included). */
  absentForDays?: number;
  /** Never charged. */
  neverVisited?: boolean;
  minBalanceFen?: number;
  maxBalanceFen?: number;
  /** Only members whose marketing consent is in force. */
  marketingOnly?: boolean;
}

export interface MemberListQuery {
  filter?: MemberListFilter;
  order?: MemberListOrder;
  /** The `next` of the previous page. */
  after?: string | null;
  /** Rows per page, 1 to 100 (default 50). */
  limit?: number;
  /** The time segments and day filters are measured at (UTC ms). */
  at: number;
}

export interface MemberListRow {
  memberId: string;
  name: string;
  /** Always masked: the list is seen by anyone at the counter. */
  phoneMasked: string | null;
  tierId: string | null;
  tierName: string | null;
  balanceFen: number;
  visits: number;
  /** Null before the first charge. */
  lastVisitAt: number | null;
  segment: MemberSegment;
  marketing: boolean;
}

export interface MemberListPage {
  rows: MemberListRow[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

const DAY_MS = 86_400_000;

/** Days since the last charge, or since registration before the first (as the reports count them). */
const RECENCY = `((? - CASE WHEN r.last_visit_at > 0 THEN r.last_visit_at ELSE r.created_at END) / ${DAY_MS}.0)`;
const RHYTHM = `(CASE WHEN r.visits >= 2 THEN (r.last_visit_at - r.first_visit_at) / ${DAY_MS}.0 / (r.visits - 1) END)`;

/** `behaviourOf` in SQL; every `?` in it is the same "now". */
export const SEGMENT_SQL = `(CASE
  WHEN ${RECENCY} > MAX(90, 4 * COALESCE(${RHYTHM}, 30)) THEN 'lost'
  WHEN ${RECENCY} > COALESCE(2 * ${RHYTHM}, 30) THEN 'lapsing'
  WHEN r.visits < 3 THEN 'potential'
  ELSE 'active' END)`;
/** How many times "now" is bound into SEGMENT_SQL. */
export const SEGMENT_PARAMS = SEGMENT_SQL.split('?').length - 1;

interface RosterRow {
  member_id: string;
  tier_id: string | null;
  balance_fen: number;
  visits: number;
  last_visit_at: number;
  marketing: number;
  segment: MemberSegment;
  sort_key: number;
}

function invalid(message: string): MemberError {
  return new MemberError('INPUT_INVALID', message);
}

function wholeNumber(value: number | undefined, what: string, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0 || value > max))
    throw invalid(`${what} is a whole number from 0 to ${max}`);
}

/** `<sort key>.<member id>`: where the previous page stopped. */
function parseCursor(after: string): { key: number; memberId: string } {
  const dot = after.indexOf('.');
  const key = Number(after.slice(0, dot));
  const memberId = after.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(key) || memberId === '') throw invalid('not a member-list cursor');
  return { key, memberId };
}

export function memberRoster(db: Database, personal: PersonalFields) {
  const detail = db.prepare<[string], { name: string; phone: string | null; tier_name: string | null }>(
    `SELECT p.name, p.phone, t.name AS tier_name FROM member_profiles p
     LEFT JOIN member_tiers t ON t.id = p.tier_id WHERE p.member_id = ?`,
  );
  const statements = new Map<string, ReturnType<typeof db.prepare<unknown[], RosterRow>>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], RosterRow>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  function check(query: MemberListQuery): void {
    const f = query.filter ?? {};
    wholeNumber(f.visitedWithinDays, 'visitedWithinDays', 36_500);
    wholeNumber(f.absentForDays, 'absentForDays', 36_500);
    wholeNumber(f.minBalanceFen, 'minBalanceFen');
    wholeNumber(f.maxBalanceFen, 'maxBalanceFen');
    if (f.segment !== undefined && !MEMBER_SEGMENTS.includes(f.segment)) throw invalid('unknown segment');
    if (query.order !== undefined && query.order !== 'recent' && query.order !== 'balance')
      throw invalid('order by recent or balance');
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('a page holds 1 to 100 members');
    if (!Number.isSafeInteger(query.at)) throw invalid('at is UTC milliseconds');
  }

  return {
    listMembers(query: MemberListQuery): MemberListPage {
      check(query);
      const f = query.filter ?? {};
      const order = query.order ?? 'recent';
      const limit = query.limit ?? 50;
      const sortColumn = order === 'recent' ? 'r.last_visit_at' : 'r.balance_fen';
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.tierId === null) where.push('r.tier_id IS NULL');
      else if (f.tierId !== undefined) {
        where.push('r.tier_id = ?');
        params.push(f.tierId);
      }
      if (f.visitedWithinDays !== undefined) {
        where.push('r.last_visit_at >= ?');
        params.push(query.at - f.visitedWithinDays * DAY_MS);
      }
      if (f.absentForDays !== undefined) {
        where.push('r.last_visit_at < ?');
        params.push(query.at - f.absentForDays * DAY_MS);
      }
      if (f.neverVisited === true) where.push('r.last_visit_at = 0');
      if (f.minBalanceFen !== undefined) {
        where.push('r.balance_fen >= ?');
        params.push(f.minBalanceFen);
      }
      if (f.maxBalanceFen !== undefined) {
        where.push('r.balance_fen <= ?');
        params.push(f.maxBalanceFen);
      }
      if (f.marketingOnly === true) where.push('r.marketing = 1');
      if (f.segment === 'lost') {
        // Lost needs more than 90 days without a charge: a bound the index walk can use.
        where.push('r.last_visit_at < ?');
        params.push(query.at - 90 * DAY_MS);
      }
      if (f.segment !== undefined) {
        where.push(`${SEGMENT_SQL} = ?`);
        params.push(...Array(SEGMENT_PARAMS).fill(query.at), f.segment);
      }
      if (query.after !== undefined && query.after !== null) {
        const cursor = parseCursor(query.after);
        where.push(`(${sortColumn}, r.member_id) < (?, ?)`);
        params.push(cursor.key, cursor.memberId);
      }
      // The walk follows the order's index (by tier when one is asked for) and stops after one page.
      const index =
        order === 'recent'
          ? f.tierId !== undefined
            ? 'member_roster_tier_recent'
            : 'member_roster_recent'
          : f.tierId !== undefined
            ? 'member_roster_tier_balance'
            : 'member_roster_balance';
      const sql = `SELECT r.member_id, r.tier_id, r.balance_fen, r.visits, r.last_visit_at, r.marketing,
          ${SEGMENT_SQL} AS segment, ${sortColumn} AS sort_key
        FROM member_roster r INDEXED BY ${index}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${sortColumn} DESC, r.member_id DESC LIMIT ?`;
      const rows = prepared(sql).all(...Array(SEGMENT_PARAMS).fill(query.at), ...params, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page.map((row) => {
          const about = detail.get(row.member_id);
          return {
            memberId: row.member_id,
            name: about === undefined ? '' : (personal.open(row.member_id, 'name', about.name) ?? ''),
            phoneMasked: maskPhone(personal.open(row.member_id, 'phone', about?.phone ?? null)),
            tierId: row.tier_id,
            tierName: about?.tier_name ?? null,
            balanceFen: row.balance_fen,
            visits: row.visits,
            lastVisitAt: row.last_visit_at === 0 ? null : row.last_visit_at,
            segment: row.segment,
            marketing: row.marketing === 1,
          };
        }),
        next: rows.length > limit && last !== undefined ? `${last.sort_key}.${last.member_id}` : null,
      };
    },

    /** The tiers a list can be filtered by. */
    tiers(): Array<{ id: string; name: string }> {
      return db
        .prepare<[], { id: string; name: string }>('SELECT id, name FROM member_tiers ORDER BY rank, name')
        .all();
    },
  };
}
