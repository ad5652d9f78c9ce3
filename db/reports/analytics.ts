/**
 * The manager's analytics: top-up and charge trends by day, week and month; busy hours (weekday × hour in
 * the store's time zone); tier distribution; value (RFM) and behaviour segments; a churn-warning list
 * measured against each member's own rhythm; top members; bonus cost per promotion rule.
 *
 * Voided operations are left out of trends and segments: a void cancels what it reverses, on the day the
 * void was booked. Closed days never change, so their figures are written once when the day closes
 * (day_kind_stats, day_member_stats) and read from there; only the open days are computed from operations.
 * Weeks and months are folded from the daily figures in memory.
 */
import type { Ledger } from '../types';
import { lastClosedDay, nextDay } from './day-lock';

export type Granularity = 'day' | 'week' | 'month';

export interface TrendPoint {
  /** YYYY-MM-DD (a day, or the Monday starting a week) or YYYY-MM. */
  period: string;
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

export function analytics(ledger: Ledger) {
  const db = ledger.sqlite;
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const NOT_VOIDED = `NOT EXISTS (SELECT 1 FROM operations v WHERE v.target_operation_id = o.id AND v.kind = 'void')`;
  const q = {
    daily: db.prepare<
      [string, string, string],
      { day: string; kind: string; n: number; amount: number; bonus: number }
    >(
      `SELECT o.business_day AS day, o.kind AS kind, COUNT(*) AS n, SUM(o.amount_fen) AS amount,
              SUM(o.bonus_fen) AS bonus
       FROM operations o
       WHERE o.business_day >= ? AND o.business_day <= ? AND o.store_id = ? AND o.kind IN ('top_up', 'spend', 'void')
       GROUP BY o.business_day, o.kind`,
    ),
    // Voids subtract what they cancelled from the day the void was booked.
    voided: db.prepare<
      [string, string, string],
      { day: string; kind: string; n: number; amount: number; bonus: number }
    >(
      `SELECT v.business_day AS day, t.kind AS kind, COUNT(*) AS n, SUM(t.amount_fen) AS amount, SUM(t.bonus_fen) AS bonus
       FROM operations v JOIN operations t ON t.id = v.target_operation_id
       WHERE v.business_day >= ? AND v.business_day <= ? AND v.store_id = ? AND v.kind = 'void'
         AND t.kind IN ('top_up', 'spend')
       GROUP BY v.business_day, t.kind`,
    ),
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
    memberNames: db.prepare<[string], { id: string; name: string; created_at: number }>(
      'SELECT id, name, created_at FROM members WHERE store_id = ?',
    ),
  };

  type KindFigures = { n: number; amount: number; bonus: number };

  /** Top-ups and charges per day from the operations, net of voids: day → kind → figures. */
  function liveDays(storeId: string, fromDay: string, toDay: string): Map<string, Map<string, KindFigures>> {
    const days = new Map<string, Map<string, KindFigures>>();
    const add = (day: string, kind: string, n: number, amount: number, bonus: number) => {
      let kinds = days.get(day);
      if (!kinds) {
        kinds = new Map();
        days.set(day, kinds);
      }
      const entry = kinds.get(kind) ?? { n: 0, amount: 0, bonus: 0 };
      entry.n += n;
      entry.amount += amount;
      entry.bonus += bonus;
      kinds.set(kind, entry);
    };
    if (fromDay > toDay) return days;
    for (const row of q.daily.all(fromDay, toDay, storeId)) {
      if (row.kind !== 'void') add(row.day, row.kind, row.n, row.amount, row.bonus);
    }
    for (const row of q.voided.all(fromDay, toDay, storeId))
      add(row.day, row.kind, -row.n, -row.amount, -row.bonus);
    return days;
  }

  /** Splits a range at the last closed day: closed days are read from their stored figures. */
  function split(storeId: string, fromDay: string, toDay: string) {
    const closed = lastClosedDay(db, storeId);
    if (closed === null || closed < fromDay) return { closed: null, openFrom: fromDay };
    const closedTo = closed < toDay ? closed : toDay;
    return { closed: { fromDay, toDay: closedTo }, openFrom: nextDay(closedTo) };
  }

  function trends(input: {
    storeId: string;
    fromDay: string;
    toDay: string;
    granularity: Granularity;
  }): TrendPoint[] {
    const points = new Map<string, TrendPoint>();
    const keyOf = (day: string) =>
      input.granularity === 'day' ? day : input.granularity === 'week' ? weekOf(day) : day.slice(0, 7);
    const add = (day: string, kind: string, figures: KindFigures) => {
      const key = keyOf(day);
      let p = points.get(key);
      if (!p) {
        p = { period: key, topUpCount: 0, topUpFen: 0, bonusFen: 0, chargeCount: 0, chargeFen: 0 };
        points.set(key, p);
      }
      if (kind === 'top_up') {
        p.topUpCount += figures.n;
        p.topUpFen += figures.amount;
        p.bonusFen += figures.bonus;
      } else if (kind === 'spend') {
        p.chargeCount += figures.n;
        p.chargeFen += figures.amount;
      }
    };
    const range = split(input.storeId, input.fromDay, input.toDay);
    if (range.closed) {
      for (const row of q.closedKinds.all(input.storeId, range.closed.fromDay, range.closed.toDay))
        add(row.day, row.kind, row);
    }
    for (const [day, kinds] of liveDays(input.storeId, range.openFrom, input.toDay)) {
      for (const [kind, figures] of kinds) add(day, kind, figures);
    }
    return [...points.values()].sort((a, b) => a.period.localeCompare(b.period));
  }

  /**
   * Operations by weekday (Monday first) and local hour. Counted per 15-minute UTC slot in SQL, then each
   * slot is placed in the store's zone once: exact for every zone in use (all are whole quarter hours).
   */
  function busyHours(input: { storeId: string; fromDay: string; toDay: string }): {
    weekdays: string[];
    counts: number[][];
  } {
    const store = ledger.store(input.storeId);
    const timeZone = store?.timeZone ?? 'UTC';
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const counts = WEEKDAYS.map(() => new Array<number>(24).fill(0));
    for (const { slot, n } of q.slots.all(input.fromDay, input.toDay, input.storeId)) {
      let weekday = 0;
      let hour = 0;
      for (const part of format.formatToParts(new Date(slot * SLOT_MS))) {
        if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
        else if (part.type === 'hour') hour = Number(part.value);
      }
      counts[weekday]![hour]! += n;
    }
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
    const kinds =
      liveDays(storeId, businessDay, businessDay).get(businessDay) ?? new Map<string, KindFigures>();
    for (const [kind, f] of kinds) q.insertKind.run(storeId, businessDay, kind, f.n, f.amount, f.bonus);
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
      .slice(0, limit);
  }

  function topMembers(activity: MemberActivity[], limit = 20): MemberActivity[] {
    return [...activity]
      .sort((a, b) => b.chargeFen - a.chargeFen || a.memberId.localeCompare(b.memberId))
      .slice(0, limit);
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

  /** Members per tier (members without a tier under null), when the tier tables exist. */
  function tierDistribution(
    storeId: string,
  ): Array<{ tierId: string | null; name: string; members: number }> {
    if (!hasTable('member_profiles') || !hasTable('member_tiers')) {
      const row = db
        .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE store_id = ?')
        .get(storeId);
      return [{ tierId: null, name: 'all members', members: row?.n ?? 0 }];
    }
    return db
      .prepare<[string], { tier_id: string | null; name: string | null; members: number }>(
        `SELECT p.tier_id AS tier_id, t.name AS name, COUNT(*) AS members
         FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id LEFT JOIN member_tiers t ON t.id = p.tier_id
         WHERE m.store_id = ? GROUP BY p.tier_id ORDER BY MAX(t.rank) DESC, p.tier_id`,
      )
      .all(storeId)
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

    /**
     * The analytics page as of `at`: daily trends for 30 days, weekly for 12 weeks, monthly for 12 months,
     * busy hours over 90 days, segments, churn warnings and top members over a year, tiers, bonus cost.
     */
    page(input: { storeId: string; at: number }) {
      const today = ledger.businessDayOf(input.storeId, input.at);
      const back = (days: number) =>
        new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
      const yearAgo = back(365);
      const daily = trends({ storeId: input.storeId, fromDay: yearAgo, toDay: today, granularity: 'day' });
      const fold = (granularity: 'week' | 'month', since: string) => {
        const folded = new Map<string, TrendPoint>();
        for (const p of daily) {
          if (p.period < since) continue;
          const key = granularity === 'week' ? weekOf(p.period) : p.period.slice(0, 7);
          const into = folded.get(key) ?? {
            ...p,
            period: key,
            topUpCount: 0,
            topUpFen: 0,
            bonusFen: 0,
            chargeCount: 0,
            chargeFen: 0,
          };
          into.topUpCount += p.topUpCount;
          into.topUpFen += p.topUpFen;
          into.bonusFen += p.bonusFen;
          into.chargeCount += p.chargeCount;
          into.chargeFen += p.chargeFen;
          folded.set(key, into);
        }
        return [...folded.values()];
      };
      const activity = members({ storeId: input.storeId, fromDay: yearAgo, toDay: today, at: input.at });
      return {
        asOf: today,
        daily: daily.filter((p) => p.period >= back(30)),
        weekly: fold('week', weekOf(back(7 * 12))),
        monthly: fold('month', `${back(365).slice(0, 7)}`),
        busyHours: busyHours({ storeId: input.storeId, fromDay: back(90), toDay: today }),
        segments: segmentCounts(activity),
        churn: churnWarnings(activity),
        top: topMembers(activity),
        tiers: tierDistribution(input.storeId),
        bonusCost: bonusCostPerRule({ storeId: input.storeId, fromDay: yearAgo, toDay: today }),
      };
    },
  };
}

export type Analytics = ReturnType<typeof analytics>;
