/**
 * The manager's analytics: top-up and charge trends by day, week and month; busy hours (weekday × hour in
 * the store's time zone); tier distribution; value (RFM) and behaviour segments; a churn-warning list
 * measured against each member's own rhythm; top members; bonus cost per promotion rule.
 *
 * Money figures follow the one definition in figures.ts (gross, voided on the day the void was recorded, net);
 * segments count net charges. Closed days never change, so their net figures are written once when the day
 * closes (day_kind_stats, day_member_stats) and read from there, with the voids and refunds of those days read
 * off the target index; only the open days are computed from operations. Weeks and months are folded from
 * the daily figures in memory.
 */
import { businessDay } from '../business-day';
import type { Ledger, MemberNames } from '../types';
import { lastClosedDay, nextDay } from './day-lock';
import { addFigures, addPart, emptyFigures, type Figures, figureQueries, tallyOf } from './figures';

export type Granularity = 'day' | 'week' | 'month';

export interface TrendPoint {
  /** YYYY-MM-DD (a day, or the Monday starting a week) or YYYY-MM. */
  period: string;
  /** Gross, voided and net of top-ups, charges and refunds; the flat fields below are the net ones. */
  figures: Figures;
  topUpCount: number;
  topUpFen: number;
  bonusFen: number;
  chargeCount: number;
  chargeFen: number;
}

export type ValueSegment = 'high' | 'middle' | 'low';
export type BehaviourSegment = 'active' | 'potential' | 'lapsing' | 'lost';

export interface MemberActivity {
  memberId: string;
  name: string;
  /** Charges counted in the window. */
  visits: number;
  chargeFen: number;
  topUpFen: number;
  firstVisitAt: number;
  lastVisitAt: number;
  /** Days since the last charge. */
  recencyDays: number;
  /** The member's own mean days between charges; null with fewer than two. */
  rhythmDays: number | null;
  value: ValueSegment;
  behaviour: BehaviourSegment;
}

export interface ChurnWarning {
  memberId: string;
  name: string;
  lastVisitAt: number;
  rhythmDays: number;
  recencyDays: number;
  /** recency ÷ rhythm: 2 means twice the usual gap has passed. */
  overdueRatio: number;
}

const DAY_MS = 86_400_000;

/** One member's charges and top-ups over some days. */
interface MemberDay {
  member_id: string;
  visits: number;
  charge: number;
  top_up: number;
  first_at: number | null;
  last_at: number | null;
}
const SLOT_MS = 15 * 60_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Every day from one YYYY-MM-DD to another, inclusive. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let day = fromDay; day <= toDay; day = nextDay(day)) days.push(day);
  return days;
}

/** A trend point of a period from its figures. */
function pointOf(period: string, figures: Figures): TrendPoint {
  return {
    period,
    figures,
    topUpCount: figures.topUps.net.count,
    topUpFen: figures.topUps.net.amountFen,
    bonusFen: figures.topUps.net.bonusFen,
    chargeCount: figures.charges.net.count,
    chargeFen: figures.charges.net.amountFen,
  };
}

/** Monday of the ISO week holding a YYYY-MM-DD day. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - offset * DAY_MS).toISOString().slice(0, 10);
}

/** Tertile score 1..3 of a value among sorted values (higher is better). */
function tertile(sorted: number[], value: number): number {
  if (sorted.length === 0) return 1;
  const low = sorted[Math.floor(sorted.length / 3)]!;
  const high = sorted[Math.floor((sorted.length * 2) / 3)]!;
  return value >= high && value > low ? 3 : value >= low ? 2 : 1;
}

/**
 * Behaviour against the member's own rhythm: lost after four usual gaps (and at least 90 days), lapsing
 * after two (or a month for a member with no rhythm yet), potential while there are fewer than three
 * visits, otherwise active.
 */
export function behaviourOf(
  visits: number,
  recencyDays: number,
  rhythmDays: number | null,
): BehaviourSegment {
  if (recencyDays > Math.max(90, 4 * (rhythmDays ?? 30))) return 'lost';
  if (recencyDays > (rhythmDays === null ? 30 : 2 * rhythmDays)) return 'lapsing';
  if (visits < 3) return 'potential';
  return 'active';
}

/** A store, the moment the page is read, and the range of business days (YYYY-MM-DD, inclusive). */
export interface PageInput {
  storeId: string;
  at: number;
  fromDay?: string;
  toDay?: string;
}

export function analytics(ledger: Ledger, options: { names?: MemberNames } = {}) {
  const db = ledger.sqlite;
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const NOT_VOIDED = `NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = o.id AND v.kind = 'void')`;
  const figures = figureQueries(db);
  // The activity rows carry the ledger's own name (a mask in an encrypted ledger); only the few members a
  // page lists are named in clear, so a year of activity is not decrypted member by member.
  const named = (memberId: string, ledgerName: string) => options.names?.(memberId) ?? ledgerName;
  const q = {
    slots: db.prepare<[string, string, string], { slot: number; n: number }>(
      `SELECT created_at / ${SLOT_MS} AS slot, COUNT(*) AS n FROM operations
       WHERE business_day >= ? AND business_day <= ? AND store_id = ? AND kind IN ('top_up', 'spend', 'withdraw', 'refund')
       GROUP BY slot`,
    ),
    members: db.prepare<
      [string, string, string],
      {
        day: string;
        member_id: string;
        visits: number;
        charge: number;
        top_up: number;
        first_at: number | null;
        last_at: number | null;
      }
    >(
      `SELECT o.business_day AS day, c.member_id AS member_id,
              SUM(o.kind = 'spend') AS visits,
              SUM(CASE WHEN o.kind = 'spend' THEN o.amount_fen ELSE 0 END) AS charge,
              SUM(CASE WHEN o.kind = 'top_up' THEN o.amount_fen ELSE 0 END) AS top_up,
              MIN(CASE WHEN o.kind = 'spend' THEN o.created_at END) AS first_at,
              MAX(CASE WHEN o.kind = 'spend' THEN o.created_at END) AS last_at
       FROM operations o JOIN cards c ON c.id = o.card_id
       WHERE o.business_day >= ? AND o.business_day <= ? AND o.store_id = ? AND o.kind IN ('spend', 'top_up')
       GROUP BY o.business_day, c.member_id`,
    ),
    voidedByMember: db.prepare<
      [string, string, string],
      { day: string; member_id: string; kind: string; n: number; amount: number }
    >(
      `SELECT v.business_day AS day, c.member_id AS member_id, t.kind AS kind, COUNT(*) AS n, SUM(t.amount_fen) AS amount
       FROM operations v JOIN operations t ON t.id = v.target_operation_id JOIN cards c ON c.id = t.card_id
       WHERE v.business_day >= ? AND v.business_day <= ? AND v.store_id = ? AND v.kind = 'void'
         AND t.kind IN ('spend', 'top_up')
       GROUP BY v.business_day, c.member_id, t.kind`,
    ),
    closedKinds: db.prepare<
      [string, string, string],
      { day: string; kind: string; n: number; amount: number; bonus: number }
    >(
      `SELECT business_day AS day, kind, count AS n, amount_fen AS amount, bonus_fen AS bonus FROM day_kind_stats
       WHERE store_id = ? AND business_day >= ? AND business_day <= ?`,
    ),
    closedMembers: db.prepare<[string, string, string], MemberDay>(
      `SELECT member_id, SUM(visits) AS visits, SUM(charge_fen) AS charge, SUM(top_up_fen) AS top_up,
              MIN(first_visit_at) AS first_at, MAX(last_visit_at) AS last_at
       FROM day_member_stats WHERE store_id = ? AND business_day >= ? AND business_day <= ?
       GROUP BY member_id`,
    ),
    insertKind: db.prepare(
      `INSERT OR REPLACE INTO day_kind_stats (store_id, business_day, kind, count, amount_fen, bonus_fen)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertMember: db.prepare(
      `INSERT OR REPLACE INTO day_member_stats (store_id, business_day, member_id, visits, charge_fen, top_up_fen,
         first_visit_at, last_visit_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    closedHours: db.prepare<[string, string, string], { weekday: number; hour: number; n: number }>(
      `SELECT weekday, hour, SUM(count) AS n FROM day_hour_stats
       WHERE store_id = ? AND business_day >= ? AND business_day <= ? GROUP BY weekday, hour`,
    ),
    // Closed days of the range that have no hour figures: closed before they were kept.
    unrecordedHours: db.prepare<[string, string, string], { day: string }>(
      `SELECT c.business_day AS day FROM day_closes c
       WHERE c.store_id = ? AND c.business_day >= ? AND c.business_day <= ?
         AND NOT EXISTS (SELECT 1 FROM day_hour_stats h WHERE h.store_id = c.store_id AND h.business_day = c.business_day)`,
    ),
    insertHour: db.prepare(
      `INSERT OR REPLACE INTO day_hour_stats (store_id, business_day, weekday, hour, count) VALUES (?, ?, ?, ?, ?)`,
    ),
    memberNames: db.prepare<[string], { id: string; name: string; created_at: number }>(
      'SELECT id, name, created_at FROM members WHERE store_id = ?',
    ),
  };

  /** Splits a range at the last closed day: closed days are read from their stored figures. */
  function split(storeId: string, fromDay: string, toDay: string) {
    const closed = lastClosedDay(db, storeId);
    if (closed === null || closed < fromDay) return { closed: null, openFrom: fromDay };
    const closedTo = closed < toDay ? closed : toDay;
    return { closed: { fromDay, toDay: closedTo }, openFrom: nextDay(closedTo) };
  }

  /** The figures of each day in a range that has any: closed days from their stored figures, open days live. */
  function dayFigures(storeId: string, fromDay: string, toDay: string): Map<string, Figures> {
    const days = new Map<string, Figures>();
    const range = split(storeId, fromDay, toDay);
    if (range.closed) {
      const into = (day: string) => {
        let found = days.get(day);
        if (found === undefined) {
          found = emptyFigures();
          days.set(day, found);
        }
        return found;
      };
      // Stored: net top-ups and charges. Gross is net plus what that day's voids cancelled.
      for (const row of q.closedKinds.all(storeId, range.closed.fromDay, range.closed.toDay)) {
        if (row.kind === 'top_up' || row.kind === 'spend')
          addPart(into(row.day), row.kind, 'gross', tallyOf({ ...row, kind: row.kind }));
      }
      const { voided, refunds } = figures.voidsAndRefunds(storeId, range.closed.fromDay, range.closed.toDay);
      for (const row of voided) {
        const day = into(row.day);
        if (row.kind !== 'refund') addPart(day, row.kind, 'gross', tallyOf(row));
        addPart(day, row.kind, 'voided', tallyOf(row));
      }
      for (const row of refunds) addPart(into(row.day), 'refund', 'gross', tallyOf(row));
    }
    for (const [day, found] of figures.days(storeId, range.openFrom, toDay)) days.set(day, found);
    return days;
  }

  /** Trend points over a range, every day (week, month) present, empty ones at zero. */
  function trends(input: {
    storeId: string;
    fromDay: string;
    toDay: string;
    granularity: Granularity;
  }): TrendPoint[] {
    const byDay = dayFigures(input.storeId, input.fromDay, input.toDay);
    const keyOf = (day: string) =>
      input.granularity === 'day' ? day : input.granularity === 'week' ? weekOf(day) : day.slice(0, 7);
    const points = new Map<string, Figures>();
    for (const day of daysBetween(input.fromDay, input.toDay)) {
      const key = keyOf(day);
      let into = points.get(key);
      if (into === undefined) {
        into = emptyFigures();
        points.set(key, into);
      }
      const found = byDay.get(day);
      if (found !== undefined) addFigures(into, found);
    }
    return [...points].map(([period, f]) => pointOf(period, f));
  }

  /** The figures of a whole range summed: what the reports screen's summary shows. */
  function totals(storeId: string, fromDay: string, toDay: string): Figures {
    const sum = emptyFigures();
    for (const found of dayFigures(storeId, fromDay, toDay).values()) addFigures(sum, found);
    return sum;
  }

  /**
   * Operations by weekday (index 0 = Monday) and local hour, counted from the operations of some days. Counted
   * per 15-minute UTC slot in SQL, then each slot is placed in the store's zone once: exact for every zone in
   * use (all are whole quarter hours).
   */
  function liveHours(storeId: string, fromDay: string, toDay: string, into: number[][]): void {
    const store = ledger.store(storeId);
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: store?.timeZone ?? 'UTC',
      weekday: 'short',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    for (const { slot, n } of q.slots.all(fromDay, toDay, storeId)) {
      let weekday = 0;
      let hour = 0;
      for (const part of format.formatToParts(new Date(slot * SLOT_MS))) {
        if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
        else if (part.type === 'hour') hour = Number(part.value);
      }
      into[weekday]![hour]! += n;
    }
  }

  const emptyHours = () => WEEKDAYS.map(() => new Array<number>(24).fill(0));

  /**
   * Operations by weekday (Monday first) and local hour in the store's zone over a range: closed days from the
   * hour figures written when they closed (a few rows a day), open days from their operations.
   */
  function busyHours(input: { storeId: string; fromDay: string; toDay: string }): {
    weekdays: string[];
    counts: number[][];
  } {
    const counts = emptyHours();
    const range = split(input.storeId, input.fromDay, input.toDay);
    if (range.closed) {
      const { fromDay, toDay } = range.closed;
      for (const row of q.closedHours.all(input.storeId, fromDay, toDay))
        counts[row.weekday]![row.hour]! += row.n;
      for (const { day } of q.unrecordedHours.all(input.storeId, fromDay, toDay))
        liveHours(input.storeId, day, day, counts);
    }
    if (range.openFrom <= input.toDay) liveHours(input.storeId, range.openFrom, input.toDay, counts);
    return { weekdays: WEEKDAYS, counts };
  }

  /** Each member's charges and top-ups per day from the operations, net of voids: day → member → figures. */
  function liveMembers(storeId: string, fromDay: string, toDay: string): Map<string, Map<string, MemberDay>> {
    const days = new Map<string, Map<string, MemberDay>>();
    if (fromDay > toDay) return days;
    const entry = (day: string, memberId: string): MemberDay => {
      let members = days.get(day);
      if (!members) {
        members = new Map();
        days.set(day, members);
      }
      let found = members.get(memberId);
      if (!found) {
        found = { member_id: memberId, visits: 0, charge: 0, top_up: 0, first_at: null, last_at: null };
        members.set(memberId, found);
      }
      return found;
    };
    for (const row of q.members.all(fromDay, toDay, storeId)) {
      const e = entry(row.day, row.member_id);
      e.visits += row.visits;
      e.charge += row.charge;
      e.top_up += row.top_up;
      e.first_at = row.first_at;
      e.last_at = row.last_at;
    }
    for (const row of q.voidedByMember.all(fromDay, toDay, storeId)) {
      const e = entry(row.day, row.member_id);
      if (row.kind === 'spend') {
        e.visits -= row.n;
        e.charge -= row.amount;
      } else e.top_up -= row.amount;
    }
    return days;
  }

  /** Every member with a charge or top-up in the window, scored and segmented. */
  function members(input: { storeId: string; fromDay: string; toDay: string; at: number }): MemberActivity[] {
    const totals = new Map<string, MemberDay>();
    const add = (row: MemberDay) => {
      const into = totals.get(row.member_id);
      if (!into) {
        totals.set(row.member_id, { ...row });
        return;
      }
      into.visits += row.visits;
      into.charge += row.charge;
      into.top_up += row.top_up;
      if (row.first_at !== null && (into.first_at === null || row.first_at < into.first_at))
        into.first_at = row.first_at;
      if (row.last_at !== null && (into.last_at === null || row.last_at > into.last_at))
        into.last_at = row.last_at;
    };
    const range = split(input.storeId, input.fromDay, input.toDay);
    if (range.closed) {
      for (const row of q.closedMembers.all(input.storeId, range.closed.fromDay, range.closed.toDay))
        add(row);
    }
    for (const day of liveMembers(input.storeId, range.openFrom, input.toDay).values()) {
      for (const row of day.values()) add(row);
    }
    const members = new Map(q.memberNames.all(input.storeId).map((m) => [m.id, m]));
    const rows = [...totals.values()].map((row) => {
      const visits = row.visits;
      const lastAt = row.last_at ?? 0;
      const firstAt = row.first_at ?? 0;
      // A member not charged yet is as recent as their registration: one who joined this week (with an
      // opening top-up) is a potential customer, never a lost one.
      const registeredAt = members.get(row.member_id)?.created_at;
      const recencyDays =
        row.last_at !== null
          ? (input.at - lastAt) / DAY_MS
          : registeredAt === undefined
            ? Number.POSITIVE_INFINITY
            : Math.max(0, input.at - registeredAt) / DAY_MS;
      return {
        memberId: row.member_id,
        name: members.get(row.member_id)?.name ?? row.member_id,
        visits,
        chargeFen: row.charge,
        topUpFen: row.top_up,
        firstVisitAt: firstAt,
        lastVisitAt: lastAt,
        recencyDays,
        rhythmDays: visits >= 2 ? (lastAt - firstAt) / DAY_MS / (visits - 1) : null,
      };
    });
    const recency = rows.map((r) => -r.recencyDays).sort((a, b) => a - b);
    const frequency = rows.map((r) => r.visits).sort((a, b) => a - b);
    const monetary = rows.map((r) => r.chargeFen).sort((a, b) => a - b);
    return rows.map((r) => {
      const score =
        tertile(recency, -r.recencyDays) + tertile(frequency, r.visits) + tertile(monetary, r.chargeFen);
      const value: ValueSegment = score >= 8 ? 'high' : score >= 5 ? 'middle' : 'low';
      const recencyDays = Number.isFinite(r.recencyDays)
        ? Math.round(r.recencyDays * 10) / 10
        : r.recencyDays;
      const rhythmDays = r.rhythmDays === null ? null : Math.round(r.rhythmDays * 10) / 10;
      return {
        ...r,
        recencyDays,
        rhythmDays,
        value,
        behaviour: behaviourOf(r.visits, r.recencyDays, r.rhythmDays),
      };
    });
  }

  /**
   * Writes a day's figures for the analytics; the day close calls it in its own transaction, once the day
   * can no longer change.
   */
  function recordClosedDay(storeId: string, businessDay: string): void {
    // Net top-ups and charges; the voids and refunds of the day are read off the target index when needed.
    const day = figures.days(storeId, businessDay, businessDay).get(businessDay);
    if (day !== undefined) {
      for (const [kind, field] of [
        ['top_up', 'topUps'],
        ['spend', 'charges'],
      ] as const) {
        const net = day[field].net;
        if (day[field].gross.count === 0 && day[field].voided.count === 0) continue;
        q.insertKind.run(storeId, businessDay, kind, net.count, net.amountFen, net.bonusFen);
      }
    }
    const hours = emptyHours();
    liveHours(storeId, businessDay, businessDay, hours);
    hours.forEach((row, weekday) => {
      row.forEach((n, hour) => {
        if (n > 0) q.insertHour.run(storeId, businessDay, weekday, hour, n);
      });
    });
    const members =
      liveMembers(storeId, businessDay, businessDay).get(businessDay) ?? new Map<string, MemberDay>();
    for (const m of members.values()) {
      q.insertMember.run(
        storeId,
        businessDay,
        m.member_id,
        m.visits,
        m.charge,
        m.top_up,
        m.first_at,
        m.last_at,
      );
    }
  }

  /** Members with a rhythm (three visits or more) whose usual gap has passed twice over, and not yet lost. */
  function churnWarnings(activity: MemberActivity[], limit = 50): ChurnWarning[] {
    return activity
      .filter((m) => m.visits >= 3 && m.rhythmDays !== null && m.rhythmDays > 0 && m.behaviour === 'lapsing')
      .map((m) => ({
        memberId: m.memberId,
        name: m.name,
        lastVisitAt: m.lastVisitAt,
        rhythmDays: m.rhythmDays!,
        recencyDays: m.recencyDays,
        overdueRatio: Math.round((m.recencyDays / m.rhythmDays!) * 100) / 100,
      }))
      .sort((a, b) => b.overdueRatio - a.overdueRatio)
      .slice(0, limit)
      .map((w) => ({ ...w, name: named(w.memberId, w.name) }));
  }

  function topMembers(activity: MemberActivity[], limit = 20): MemberActivity[] {
    return [...activity]
      .sort((a, b) => b.chargeFen - a.chargeFen || a.memberId.localeCompare(b.memberId))
      .slice(0, limit)
      .map((m) => ({ ...m, name: named(m.memberId, m.name) }));
  }

  function segmentCounts(activity: MemberActivity[]) {
    const value: Record<ValueSegment, number> = { high: 0, middle: 0, low: 0 };
    const behaviour: Record<BehaviourSegment, number> = { active: 0, potential: 0, lapsing: 0, lost: 0 };
    for (const m of activity) {
      value[m.value] += 1;
      behaviour[m.behaviour] += 1;
    }
    return { value, behaviour };
  }

  /**
   * Members per tier (members without a tier under null), when the tier tables exist: the members registered
   * before `until` (by default all of them), each in the tier they hold now (the ledger keeps no tier history).
   */
  function tierDistribution(
    storeId: string,
    until = Number.MAX_SAFE_INTEGER,
  ): Array<{ tierId: string | null; name: string; members: number }> {
    if (!hasTable('member_profiles') || !hasTable('member_tiers')) {
      const row = db
        .prepare<[string, number], { n: number }>(
          'SELECT COUNT(*) AS n FROM members WHERE store_id = ? AND created_at < ?',
        )
        .get(storeId, until);
      return [{ tierId: null, name: 'all members', members: row?.n ?? 0 }];
    }
    return db
      .prepare<[string, number], { tier_id: string | null; name: string | null; members: number }>(
        `SELECT p.tier_id AS tier_id, t.name AS name, COUNT(*) AS members
         FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id LEFT JOIN member_tiers t ON t.id = p.tier_id
         WHERE m.store_id = ? AND m.created_at < ? GROUP BY p.tier_id ORDER BY MAX(t.rank) DESC, p.tier_id`,
      )
      .all(storeId, until)
      .map((row) => ({ tierId: row.tier_id, name: row.name ?? 'no tier', members: row.members }));
  }

  /**
   * Bonus given per promotion rule in the window, voided top-ups left out, when rules are recorded. The
   * applications drive the join (CROSS JOIN keeps that order): they are far fewer than the operations.
   */
  function bonusCostPerRule(input: {
    storeId: string;
    fromDay: string;
    toDay: string;
  }): Array<{ ruleId: string; name: string; topUps: number; bonusFen: number }> {
    if (!hasTable('rule_applications') || !hasTable('bonus_rules')) return [];
    return db
      .prepare<
        [string, string, string],
        { rule_id: string; name: string | null; top_ups: number; bonus: number }
      >(
        `SELECT r.rule_id AS rule_id,
                (SELECT b.name FROM bonus_rules b WHERE b.id = r.rule_id ORDER BY b.version DESC LIMIT 1) AS name,
                COUNT(*) AS top_ups, SUM(r.bonus_fen) AS bonus
         FROM rule_applications r CROSS JOIN operations o ON o.id = r.operation_id
         WHERE o.business_day >= ? AND o.business_day <= ? AND o.store_id = ? AND ${NOT_VOIDED}
         GROUP BY r.rule_id ORDER BY bonus DESC`,
      )
      .all(input.fromDay, input.toDay, input.storeId)
      .map((row) => ({
        ruleId: row.rule_id,
        name: row.name ?? row.rule_id,
        topUps: row.top_ups,
        bonusFen: row.bonus,
      }));
  }

  /**
   * The figures of a range of business days (by default this month to today): the range's totals gross,
   * voided and net, its trend by day, week and month, busy hours and bonus cost per rule. Quick: closed days
   * come from their stored figures.
   */
  /** The range a page reads: as given, by default this month to today (the store's open business day). */
  function rangeOf(input: PageInput): { today: string; fromDay: string; toDay: string } {
    const today = ledger.businessDayOf(input.storeId, input.at);
    return { today, toDay: input.toDay ?? today, fromDay: input.fromDay ?? `${today.slice(0, 7)}-01` };
  }

  function figuresPage(input: PageInput) {
    const { today, fromDay, toDay } = rangeOf(input);
    const range = { storeId: input.storeId, fromDay, toDay };
    const daily = trends({ ...range, granularity: 'day' });
    const fold = (granularity: 'week' | 'month') => {
      const folded = new Map<string, Figures>();
      for (const p of daily) {
        const key = granularity === 'week' ? weekOf(p.period) : p.period.slice(0, 7);
        const into = folded.get(key) ?? emptyFigures();
        addFigures(into, p.figures);
        folded.set(key, into);
      }
      return [...folded].map(([period, f]) => pointOf(period, f));
    };
    const total = emptyFigures();
    for (const p of daily) addFigures(total, p.figures);
    return {
      asOf: today,
      fromDay,
      toDay,
      timeZone: ledger.store(input.storeId)?.timeZone ?? 'UTC',
      totals: total,
      daily,
      weekly: fold('week'),
      monthly: fold('month'),
      busyHours: busyHours(range),
      bonusCost: bonusCostPerRule(range),
    };
  }

  /**
   * The first instant of the business day after `day`: where a range ending on `day` ends. Found by stepping
   * a quarter hour at a time from the earliest moment it could be (every zone in use is a whole quarter hour).
   */
  function endOfDay(storeId: string, day: string): number {
    const store = ledger.store(storeId);
    const zone = store?.timeZone ?? 'UTC';
    const closeHour = store?.dayCloseHour ?? 0;
    let at = Date.parse(`${nextDay(day)}T00:00:00Z`) - 14 * 3_600_000;
    while (businessDay(at, zone, closeHour) <= day) at += SLOT_MS;
    return at;
  }

  /**
   * The member sections for a range (by default this month to today), all as of the range's end: top members
   * over the range; value and behaviour segments and churn warnings over the year up to the range's end, as
   * they stood then; tiers of the members registered by then. A range ending today is as of now.
   */
  function membersPage(input: PageInput) {
    const { today, fromDay, toDay } = rangeOf(input);
    // A range that ends before today is read as of its end; one that reaches today (or beyond), as of now.
    const ended = toDay < today;
    const end = ended ? toDay : today;
    const at = ended ? Math.min(input.at, endOfDay(input.storeId, toDay)) : input.at;
    const yearAgo = new Date(Date.parse(`${end}T00:00:00Z`) - 365 * DAY_MS).toISOString().slice(0, 10);
    const year = members({ storeId: input.storeId, fromDay: yearAgo, toDay: end, at });
    const inRange =
      fromDay === yearAgo && toDay === end ? year : members({ storeId: input.storeId, fromDay, toDay, at });
    return {
      asOf: end,
      segments: segmentCounts(year),
      churn: churnWarnings(year),
      top: topMembers(inRange),
      tiers: tierDistribution(input.storeId, at),
    };
  }

  return {
    recordClosedDay,
    trends,
    busyHours,
    members,
    churnWarnings,
    topMembers,
    segmentCounts,
    tierDistribution,
    bonusCostPerRule,

    totals,

    rangeOf,
    figuresPage,
    membersPage,
    /** Both pages in one: the figures of the range and the member sections. */
    page(input: PageInput) {
      return { ...figuresPage(input), ...membersPage(input) };
    },
  };
}

export type Analytics = ReturnType<typeof analytics>;
