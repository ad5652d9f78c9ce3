import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SEGMENT_PARAMS, SEGMENT_SQL } from '../../../db/members/roster';
import { MIGRATIONS_FOLDER } from '../../../db/open';
import { openPromotions } from '../../../db/promotions/index';
import { behaviourOf } from '../../../db/reports/analytics';
import { CONSENT, cashier, closeAll, DEMO, manager, memberLedger, terminalId } from './support';

afterAll(closeAll);

const DAY_MS = 86_400_000;
const base = { staffId: cashier, terminalId };
const MARKETING = { purpose: '会员活动短信', version: 'marketing-2026-01' };

function registerWithCard(
  setup: ReturnType<typeof memberLedger>,
  n: number,
  options: { marketing?: boolean; topUpFen?: number } = {},
) {
  const id = `member-r${n}`;
  setup.members.register({
    id,
    storeId: DEMO.storeId,
    name: `会员${n}`,
    phone: `139${String(n).padStart(8, '0')}`,
    consent: CONSENT,
    marketing: { ...MARKETING, granted: options.marketing ?? false },
    ...base,
  });
  setup.ledger.issueCard({
    id: `card-r${n}`,
    memberId: id,
    cardNumber: `77${String(n).padStart(14, '0')}`,
    medium: 'keyed',
  });
  if ((options.topUpFen ?? 0) > 0) {
    setup.ledger.topUp({
      ...base,
      operationId: `t-r${n}`,
      cardId: `card-r${n}`,
      amountFen: options.topUpFen ?? 0,
      tender: 'cash',
      bonusFen: 0,
      points: 0,
    });
  }
  return id;
}

describe('the member list follows the ledger', () => {
  it('shows balance, visits, last visit, tier and marketing consent as the ledger changes, and drops a deleted member', () => {
    const setup = memberLedger();
    const { ledger, members, time } = setup;
    const id = registerWithCard(setup, 1, { marketing: true });
    ledger.topUp({
      ...base,
      operationId: 't-1',
      cardId: 'card-r1',
      amountFen: 10_000,
      tender: 'cash',
      bonusFen: 1_000,
      points: 0,
    });
    const row = () => members.listMembers({ at: time.now(), limit: 100 }).rows.find((r) => r.memberId === id);
    expect(row()).toMatchObject({
      name: '会员1',
      phoneMasked: '139****0001',
      balanceFen: 11_000,
      visits: 0,
      lastVisitAt: null,
      segment: 'potential',
      marketing: true,
      tierId: null,
    });
    const charged = ledger.spend({ ...base, operationId: 's-1', cardId: 'card-r1', amountFen: 2_550 });
    expect(row()).toMatchObject({ balanceFen: 8_450, visits: 1, lastVisitAt: charged.createdAt });

    const promotions = openPromotions(ledger, { now: time.now });
    promotions.defineTier({
      id: 'gold',
      storeId: DEMO.storeId,
      name: '金卡',
      rank: 2,
      basis: 'top_up',
      thresholdFen: 1_000_000,
      discountBp: 500,
      staffId: manager,
    });
    promotions.changeTier({ memberId: id, tierId: 'gold', reason: '老顾客', staffId: manager, terminalId });
    expect(row()).toMatchObject({ tierId: 'gold', tierName: '金卡' });
    expect(
      members.listMembers({ at: time.now(), filter: { tierId: 'gold' } }).rows.map((r) => r.memberId),
    ).toEqual([id]);

    members.recordConsent({ memberId: id, kind: 'marketing', granted: false, ...MARKETING, ...base });
    expect(row()?.marketing).toBe(false);

    // A member with money on a card cannot be deleted: the rest is charged first.
    ledger.spend({ ...base, operationId: 's-2', cardId: 'card-r1', amountFen: 8_450 });
    expect(row()?.balanceFen).toBe(0);
    members.deleteMember({ memberId: id, ...base, approvedBy: manager });
    expect(row()).toBeUndefined();
  });
});

describe('paging and filters', () => {
  function many(count: number) {
    const setup = memberLedger();
    for (let n = 1; n <= count; n += 1) {
      registerWithCard(setup, n, { marketing: n % 3 === 0, topUpFen: ((n % 7) + 1) * 1_000 });
      // Every fourth member charges once, a day apart from the one before.
      if (n % 4 === 0) {
        setup.time.advance(DAY_MS);
        setup.ledger.spend({ ...base, operationId: `s-r${n}`, cardId: `card-r${n}`, amountFen: 100 });
      }
    }
    return setup;
  }

  function walk(
    setup: ReturnType<typeof memberLedger>,
    query: Omit<Parameters<ReturnType<typeof memberLedger>['members']['listMembers']>[0], 'at'>,
    at: number,
  ) {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = setup.members.listMembers({ ...query, after, at });
      seen.push(...page.rows.map((r) => r.memberId));
      after = page.next;
      pages += 1;
    } while (after !== null);
    return { seen, pages };
  }

  it('pages through every member once, newest visit first, then by balance, with the filters applied', () => {
    const setup = many(130);
    const at = setup.time.now();
    const everyone = setup.members.listMembers({ at, limit: 100 });
    expect(everyone.next).not.toBeNull();

    const recent = walk(setup, { limit: 25 }, at);
    // The demo's own members are listed too.
    const demo = Object.keys(DEMO.members).length;
    expect(recent.seen).toHaveLength(130 + demo);
    expect(new Set(recent.seen).size).toBe(recent.seen.length);
    expect(recent.pages).toBe(Math.ceil((130 + demo) / 25));
    // Charged members first (newest charge first): 32 of them, the last one charged heading the list.
    expect(recent.seen.slice(0, 3)).toEqual(['member-r128', 'member-r124', 'member-r120']);

    const rich = walk(setup, { order: 'balance', limit: 10, filter: { minBalanceFen: 5_000 } }, at);
    const expected = Array.from({ length: 130 }, (_, i) => i + 1)
      .filter((n) => ((n % 7) + 1) * 1_000 - (n % 4 === 0 ? 100 : 0) >= 5_000)
      .map((n) => `member-r${n}`);
    // The demo café's own members hold money too; the members made here are checked.
    expect(rich.seen.filter((id) => id.startsWith('member-r')).sort()).toEqual(expected.sort());
    const richest = setup.members.listMembers({
      at,
      limit: 100,
      order: 'balance',
      filter: { minBalanceFen: 5_000 },
    });
    const inOrder = richest.rows.map((r) => r.balanceFen);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => b - a));

    const consenting = walk(setup, { limit: 7, filter: { marketingOnly: true } }, at);
    expect(consenting.seen.filter((id) => id.startsWith('member-r')).sort()).toEqual(
      Array.from({ length: 43 }, (_, i) => `member-r${(i + 1) * 3}`).sort(),
    );

    const never = walk(setup, { limit: 50, filter: { neverVisited: true, maxBalanceFen: 1_000 } }, at);
    expect(never.seen.filter((id) => id.startsWith('member-r')).sort()).toEqual(
      Array.from({ length: 130 }, (_, i) => i + 1)
        .filter((n) => n % 4 !== 0 && n % 7 === 0)
        .map((n) => `member-r${n}`)
        .sort(),
    );

    const lastWeek = walk(setup, { limit: 50, filter: { visitedWithinDays: 7 } }, at);
    expect(lastWeek.seen.length).toBeGreaterThan(0);
    for (const id of lastWeek.seen) {
      const row = setup.members
        .listMembers({ at, limit: 100, filter: { visitedWithinDays: 7 } })
        .rows.find((r) => r.memberId === id);
      expect(at - (row?.lastVisitAt ?? 0)).toBeLessThanOrEqual(7 * DAY_MS);
    }
  });

  it('holds what the migration computes for members already in a ledger, kept since by the triggers', () => {
    const setup = many(40);
    // The migration's last statement fills the roster for a ledger that had members before it.
    const migration = readFileSync(join(MIGRATIONS_FOLDER, '0015_member_roster_and_win_back.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').at(-1) ?? '';
    const select = backfill.slice(backfill.indexOf('SELECT p.member_id')).replace(/;\s*$/, '');
    const columns =
      'member_id, tier_id, balance_fen, visits, first_visit_at, last_visit_at, marketing, created_at';
    const computed = setup.ledger.sqlite.prepare(`SELECT * FROM (${select}) ORDER BY 1`).raw().all();
    const kept = setup.ledger.sqlite.prepare(`SELECT ${columns} FROM member_roster ORDER BY 1`).raw().all();
    expect(kept.length).toBeGreaterThan(40);
    expect(kept).toEqual(computed);
  });

  it('refuses a cursor it did not make and a page size out of range', () => {
    const setup = memberLedger();
    const at = setup.time.now();
    expect(() => setup.members.listMembers({ at, after: 'nonsense' })).toThrow(/cursor/);
    expect(() => setup.members.listMembers({ at, limit: 0 })).toThrow(/1 to 100/);
    expect(() => setup.members.listMembers({ at, filter: { minBalanceFen: 1.5 } })).toThrow(/whole number/);
  });
});

describe('segments in the list are the reports’ segments (property)', () => {
  it('the SQL rule gives what behaviourOf gives for any visits, rhythm and recency', () => {
    const db = new Database(':memory:');
    const segmentOf = db.prepare<unknown[], { s: string }>(
      `SELECT ${SEGMENT_SQL} AS s FROM (SELECT ? AS visits, ? AS first_visit_at, ? AS last_visit_at, ? AS created_at) r`,
    );
    const now = Date.UTC(2026, 5, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 800 * DAY_MS }),
        fc.integer({ min: 0, max: 800 * DAY_MS }),
        fc.integer({ min: 0, max: 900 * DAY_MS }),
        (visits, spanMs, agoMs, registeredAgoMs) => {
          const last = visits === 0 ? 0 : now - agoMs;
          const first = visits === 0 ? 0 : visits === 1 ? last : last - spanMs;
          const created = Math.min(now - registeredAgoMs, visits === 0 ? now : first);
          const recency = visits === 0 ? (now - created) / DAY_MS : (now - last) / DAY_MS;
          const rhythm = visits >= 2 ? (last - first) / DAY_MS / (visits - 1) : null;
          const sql = segmentOf.get(...Array(SEGMENT_PARAMS).fill(now), visits, first, last, created)?.s;
          expect(sql).toBe(behaviourOf(visits, recency, rhythm));
        },
      ),
    );
    db.close();
  });
});
