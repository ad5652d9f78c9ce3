import { afterAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../db/index';
import { analytics, behaviourOf, openBusinessDays, weekOf } from '../../../db/reports/index';
import { cashier, clock, closeAll, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

const DAY_MS = 86_400_000;
/** 2026-03-03 09:00 in Shanghai (01:00 UTC), a Tuesday. */
const TUESDAY = Date.UTC(2026, 2, 3, 1, 0, 0);
let ids = 0;
const id = () => `an-${String(++ids).padStart(6, '0')}`;

function topUp(ledger: Ledger, cardId: string, amountFen: number, bonusFen = 0) {
  return ledger.topUp({
    operationId: id(),
    cardId,
    amountFen,
    tender: 'cash',
    bonusFen,
    points: 0,
    staffId: cashier,
    terminalId,
  });
}
function spend(ledger: Ledger, cardId: string, amountFen: number) {
  return ledger.spend({ operationId: id(), cardId, amountFen, staffId: cashier, terminalId });
}

describe('trends', () => {
  it('sum top-ups and charges by day, ISO week and month, leaving voided ones out', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    const reports = analytics(ledger);
    topUp(ledger, DEMO.cards.uid.id, 10_000, 1_000);
    spend(ledger, DEMO.cards.mifare.id, 2_000);
    time.set(TUESDAY + 6 * DAY_MS); // Monday 2026-03-09: a new week
    spend(ledger, DEMO.cards.uid.id, 700);
    const voided = spend(ledger, DEMO.cards.uid.id, 300);
    ledger.voidOperation({
      operationId: id(),
      targetOperationId: voided.operationId,
      staffId: cashier,
      terminalId,
      approvedBy: manager,
    });
    const range = { storeId: DEMO.storeId, fromDay: '2026-03-03', toDay: '2026-03-31' };
    const daily = reports.trends({ ...range, granularity: 'day' });
    // Every day of the range is a point, empty ones at zero, so a chart's axis is the calendar.
    expect(daily).toHaveLength(29);
    const net = (p: (typeof daily)[number]) => ({
      period: p.period,
      topUpCount: p.topUpCount,
      topUpFen: p.topUpFen,
      bonusFen: p.bonusFen,
      chargeCount: p.chargeCount,
      chargeFen: p.chargeFen,
    });
    expect(daily.filter((p) => p.chargeCount > 0 || p.topUpCount > 0).map(net)).toEqual([
      {
        period: '2026-03-03',
        topUpCount: 1,
        topUpFen: 10_000,
        bonusFen: 1_000,
        chargeCount: 1,
        chargeFen: 2_000,
      },
      { period: '2026-03-09', topUpCount: 0, topUpFen: 0, bonusFen: 0, chargeCount: 1, chargeFen: 700 },
    ]);
    // The voided charge shows gross and voided beside the net.
    const monday = daily.find((p) => p.period === '2026-03-09')!;
    expect(monday.figures.charges).toEqual({
      gross: { count: 2, amountFen: 1_000, bonusFen: expect.any(Number) },
      voided: { count: 1, amountFen: 300, bonusFen: expect.any(Number) },
      net: { count: 1, amountFen: 700, bonusFen: expect.any(Number) },
    });
    expect(reports.trends({ ...range, granularity: 'week' }).map((p) => [p.period, p.chargeFen])).toEqual([
      ['2026-03-02', 2_000],
      ['2026-03-09', 700],
      ['2026-03-16', 0],
      ['2026-03-23', 0],
      ['2026-03-30', 0],
    ]);
    expect(reports.trends({ ...range, granularity: 'month' }).map(net)).toEqual([
      {
        period: '2026-03',
        topUpCount: 1,
        topUpFen: 10_000,
        bonusFen: 1_000,
        chargeCount: 2,
        chargeFen: 2_700,
      },
    ]);
  });

  it('read the same figures for a day after it closes as before', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    const reports = analytics(ledger);
    const days = openBusinessDays(ledger, { now: time.now });
    topUp(ledger, DEMO.cards.uid.id, 5_000, 500);
    spend(ledger, DEMO.cards.uid.id, 1_200);
    const range = {
      storeId: DEMO.storeId,
      fromDay: '2026-03-01',
      toDay: '2026-03-05',
      granularity: 'day' as const,
    };
    const at = TUESDAY + DAY_MS;
    const before = {
      trends: reports.trends(range),
      members: reports.members({ ...range, at }),
      hours: reports.busyHours(range),
    };
    time.set(TUESDAY + DAY_MS);
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-02', managerId: manager });
    days.closeDay({ storeId: DEMO.storeId, businessDay: '2026-03-03', managerId: manager });
    const stored = ledger.sqlite.prepare('SELECT COUNT(*) AS n FROM day_kind_stats').get() as { n: number };
    expect(stored.n).toBeGreaterThan(0);
    expect(reports.trends(range)).toEqual(before.trends);
    expect(reports.members({ ...range, at })).toEqual(before.members);
    // Busy hours of the closed days come from the hour figures written at the close, and agree.
    const hours = ledger.sqlite.prepare('SELECT SUM(count) AS n FROM day_hour_stats').get() as { n: number };
    expect(hours.n).toBeGreaterThan(0);
    expect(reports.busyHours(range)).toEqual(before.hours);
    // A day closed before hour figures were kept is counted from its operations.
    ledger.sqlite.prepare("DELETE FROM day_hour_stats WHERE business_day = '2026-03-03'").run();
    expect(reports.busyHours(range)).toEqual(before.hours);
  });
});

describe('busy hours', () => {
  it('place each operation at its weekday and hour in the store time zone', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    topUp(ledger, DEMO.cards.uid.id, 1_000); // Tuesday 09:00 Shanghai
    time.set(Date.UTC(2026, 2, 7, 15, 30, 0)); // Saturday 23:30 Shanghai (15:30 UTC)
    spend(ledger, DEMO.cards.uid.id, 100);
    spend(ledger, DEMO.cards.uid.id, 100);
    const heat = analytics(ledger).busyHours({
      storeId: DEMO.storeId,
      fromDay: '2026-03-03',
      toDay: '2026-03-08',
    });
    expect(heat.weekdays[1]).toBe('Tue');
    expect(heat.counts[1]![9]).toBe(1);
    expect(heat.counts[5]![23]).toBe(2);
    expect(heat.counts.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('member segments', () => {
  it('weekOf gives the Monday of the ISO week', () => {
    expect(weekOf('2026-03-03')).toBe('2026-03-02');
    expect(weekOf('2026-03-08')).toBe('2026-03-02');
    expect(weekOf('2026-03-09')).toBe('2026-03-09');
  });

  it('judge behaviour against the member’s own rhythm', () => {
    // Visits every 7 days: 10 days since the last is still active, 15 is lapsing, 100 is lost.
    expect(behaviourOf(10, 10, 7)).toBe('active');
    expect(behaviourOf(10, 15, 7)).toBe('lapsing');
    expect(behaviourOf(10, 100, 7)).toBe('lost');
    // Visits every 60 days: 100 days is still within two gaps, 130 is lapsing, not yet lost.
    expect(behaviourOf(5, 100, 60)).toBe('active');
    expect(behaviourOf(5, 130, 60)).toBe('lapsing');
    // Few visits and recent: potential; no rhythm yet and gone a month: lapsing.
    expect(behaviourOf(1, 3, null)).toBe('potential');
    expect(behaviourOf(1, 45, null)).toBe('lapsing');
  });

  it('warn about a regular whose visits stopped, rank top members and score value', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    const reports = analytics(ledger);
    // The uid member comes every 2 days for 5 visits, then stops; the mifare member every 10 days, still due.
    for (let n = 0; n < 5; n += 1) {
      time.set(TUESDAY + n * 2 * DAY_MS);
      spend(ledger, DEMO.cards.uid.id, 1_000);
    }
    for (let n = 0; n < 3; n += 1) {
      time.set(TUESDAY + n * 10 * DAY_MS);
      spend(ledger, DEMO.cards.mifare.id, 5_000);
    }
    const at = TUESDAY + 28 * DAY_MS;
    const activity = reports.members({
      storeId: DEMO.storeId,
      fromDay: '2026-03-01',
      toDay: '2026-04-30',
      at,
    });
    const uid = activity.find((m) => m.memberId === DEMO.members.uid.id)!;
    expect(uid.visits).toBe(5);
    expect(uid.rhythmDays).toBe(2);
    expect(uid.recencyDays).toBe(20);
    expect(uid.behaviour).toBe('lapsing');
    const mifare = activity.find((m) => m.memberId === DEMO.members.mifare.id)!;
    expect(mifare.behaviour).toBe('active');
    const churn = reports.churnWarnings(activity);
    expect(churn.map((c) => c.memberId)).toEqual([DEMO.members.uid.id]);
    expect(churn[0]?.overdueRatio).toBe(10);
    expect(reports.topMembers(activity, 1)[0]?.memberId).toBe(DEMO.members.mifare.id);
    expect(mifare.value).not.toBe('low');
    const counts = reports.segmentCounts(activity);
    expect(Object.values(counts.behaviour).reduce((a, b) => a + b, 0)).toBe(activity.length);
  });

  it('never count a member who joined in the period as lost: not charged yet, they are as recent as their registration', () => {
    const time = clock(TUESDAY + 200 * DAY_MS);
    const { ledger } = demoLedger(time);
    ledger.createMember({ id: 'member-new', storeId: DEMO.storeId, name: '新会员' });
    ledger.issueCard({
      id: 'card-new',
      memberId: 'member-new',
      cardNumber: '8800000000009999',
      medium: 'keyed',
    });
    topUp(ledger, 'card-new', 50_000);
    const activity = analytics(ledger).members({
      storeId: DEMO.storeId,
      fromDay: '2026-03-01',
      toDay: '2026-12-31',
      at: TUESDAY + 201 * DAY_MS,
    });
    const joined = activity.find((m) => m.memberId === 'member-new')!;
    expect(joined.visits).toBe(0);
    expect(joined.recencyDays).toBe(1);
    expect(joined.behaviour).toBe('potential');
  });

  it('put every member of the store in the tier distribution', () => {
    const { ledger } = demoLedger();
    const tiers = analytics(ledger).tierDistribution(DEMO.storeId);
    expect(tiers.reduce((sum, t) => sum + t.members, 0)).toBe(4);
  });
});

describe('the analytics page', () => {
  it('gathers trends, heat map, segments, churn, top members, tiers and bonus cost as of a moment', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    topUp(ledger, DEMO.cards.uid.id, 10_000, 2_000);
    spend(ledger, DEMO.cards.uid.id, 3_000);
    const page = analytics(ledger).page({ storeId: DEMO.storeId, at: TUESDAY + DAY_MS });
    expect(page.asOf).toBe('2026-03-04');
    expect(page.daily.find((p) => p.period === '2026-03-03')?.chargeFen).toBe(3_000);
    expect(page.daily.find((p) => p.period === '2026-03-03')?.topUpFen).toBe(10_000);
    // The month also holds the demo book's opening top-ups of 2026-03-02.
    expect(page.monthly.find((p) => p.period === '2026-03')?.topUpFen).toBe(
      10_000 + 50_000 + 100_000 + 20_000,
    );
    expect(page.busyHours.counts).toHaveLength(7);
    expect(page.top[0]?.memberId).toBe(DEMO.members.uid.id);
    expect(Array.isArray(page.bonusCost)).toBe(true);
  });

  it('reads segments, churn and tiers as of the range’s end, not as of today', () => {
    const time = clock(TUESDAY);
    const { ledger } = demoLedger(time);
    // The uid member comes every 2 days for 5 visits (to 2026-03-11), then stops; later a member joins.
    for (let n = 0; n < 5; n += 1) {
      time.set(TUESDAY + n * 2 * DAY_MS);
      spend(ledger, DEMO.cards.uid.id, 1_000);
    }
    time.set(TUESDAY + 40 * DAY_MS);
    ledger.createMember({ id: 'member-april', storeId: DEMO.storeId, name: '四月会员' });
    const reports = analytics(ledger);
    const at = TUESDAY + 60 * DAY_MS;
    const behaviourOfUid = (page: ReturnType<typeof reports.membersPage>) =>
      (Object.entries(page.segments.behaviour) as [string, number][]).filter(([, n]) => n > 0);
    const members = (tiers: Array<{ members: number }>) => tiers.reduce((sum, t) => sum + t.members, 0);

    // Ending on 2026-03-12 the regular had just missed a day: still active, no warning; four members then.
    const march = reports.membersPage({
      storeId: DEMO.storeId,
      at,
      fromDay: '2026-03-01',
      toDay: '2026-03-12',
    });
    expect(march.asOf).toBe('2026-03-12');
    expect(march.churn).toEqual([]);
    expect(behaviourOfUid(march)).toContainEqual(['active', 1]);
    expect(members(march.tiers)).toBe(4);
    // Ending on 2026-03-20 (nine days, four rhythms, without a visit): the warning is there.
    const later = reports.membersPage({
      storeId: DEMO.storeId,
      at,
      fromDay: '2026-03-01',
      toDay: '2026-03-20',
    });
    expect(later.churn.map((c) => c.memberId)).toEqual([DEMO.members.uid.id]);
    // As of today the member who joined in April counts in the tiers too.
    const today = reports.membersPage({ storeId: DEMO.storeId, at });
    expect(members(today.tiers)).toBe(5);
  });
});
