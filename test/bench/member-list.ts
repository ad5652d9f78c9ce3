/**
 * member_list_page_p95_ms: one filtered page of the 会员 list at 1,000,000 members (a tier, the lapsing
 * segment, a balance of at least ¥100, newest visit first, 50 rows), through the member registry's own list,
 * walking 300 pages deep by their keys. The baseline, in the same process on the same ledger, is the bare
 * index walk for an unfiltered page of 50 member ids with no segment arithmetic and no names.
 *
 * Members, profiles and four tiers are written with bulk INSERT … SELECT; the roster rows their profiles'
 * trigger makes are then given a spread of visits, rhythms, balances and consents (what the ledger's triggers
 * keep from operations; a million members' operations would only slow the build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, openLedger, openMemberRegistry, seedDemo } from '../../db/index';
import { type Emit, progress, quantile, since, timeEach } from './harness';

const MEMBERS = 1_000_000;
const PAGES = 300;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 4, 0, 0);

export async function memberListBench(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'member-list-bench-'));
  try {
    const ledger = openLedger({ path: join(dir, 'members.sqlite'), checkpointIntervalMs: 0, now: () => NOW });
    seedDemo(ledger, { now: NOW - 400 * DAY_MS });
    const db = ledger.sqlite;
    const started = process.hrtime.bigint();
    db.transaction(() => {
      const tier = db.prepare(
        `INSERT INTO member_tiers (id, store_id, name, rank, basis, threshold_fen, discount_bp, created_at)
         VALUES (?, ?, ?, ?, 'top_up', ?, ?, ?)`,
      );
      for (const [rank, name] of ['银卡', '金卡', '钻石卡'].entries())
        tier.run(
          `tier-${rank + 1}`,
          DEMO.storeId,
          name,
          rank + 1,
          (rank + 1) * 100_000,
          (rank + 1) * 100,
          NOW,
        );
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO members (id, store_id, name, phone, created_at)
         SELECT printf('bm-%07d', i), ?, '会员' || i, NULL, ? - (i % 700) * ${DAY_MS} FROM n`,
      ).run(MEMBERS, DEMO.storeId, NOW);
      db.prepare(
        `INSERT INTO member_profiles (member_id, name, phone, tier_id, created_at, updated_at)
         SELECT id, name, printf('139%08d', CAST(substr(id, 4) AS INTEGER)),
                CASE CAST(substr(id, 4) AS INTEGER) % 4 WHEN 0 THEN NULL ELSE 'tier-' || (CAST(substr(id, 4) AS INTEGER) % 4) END,
                created_at, created_at
         FROM members WHERE id LIKE 'bm-%'`,
      ).run();
      // Visits 0..39 at a rhythm of 5..34 days, the last one 0..399 days ago; balances up to ¥5,000.
      db.prepare(
        `UPDATE member_roster SET
           visits = (CAST(substr(member_id, 4) AS INTEGER) * 31) % 40,
           last_visit_at = CASE WHEN (CAST(substr(member_id, 4) AS INTEGER) * 31) % 40 = 0 THEN 0
             ELSE ? - ((CAST(substr(member_id, 4) AS INTEGER) * 7919) % 400) * ${DAY_MS} - (CAST(substr(member_id, 4) AS INTEGER) % 86400) * 1000 END,
           balance_fen = (CAST(substr(member_id, 4) AS INTEGER) * 104729) % 500000,
           marketing = CAST(substr(member_id, 4) AS INTEGER) % 3 = 0
         WHERE member_id LIKE 'bm-%'`,
      ).run(NOW);
      db.prepare(
        `UPDATE member_roster SET first_visit_at = CASE WHEN visits = 0 THEN 0
           ELSE last_visit_at - (visits - 1) * (5 + (CAST(substr(member_id, 4) AS INTEGER) % 30)) * ${DAY_MS} END
         WHERE member_id LIKE 'bm-%'`,
      ).run();
    })();
    db.exec('ANALYZE');
    progress(`member list: ${MEMBERS} members built in ${(since(started) / 1000).toFixed(1)} s`);

    const members = openMemberRegistry(ledger, { now: () => NOW });
    const filter = { tierId: 'tier-2', segment: 'lapsing' as const, minBalanceFen: 10_000 };
    let after: string | null = null;
    let rows = 0;
    const walk = () => {
      const page = members.listMembers({ filter, order: 'recent', after, limit: 50, at: NOW });
      rows += page.rows.length;
      after = page.next;
    };
    // One untimed walk warms the page cache, as a till that has been open a while would be.
    for (let i = 0; i < 20; i += 1) walk();
    after = null;
    const samples = timeEach(PAGES, () => walk());
    progress(`member list: ${rows} rows over ${PAGES + 20} filtered pages, still more: ${after !== null}`);

    const bare = db.prepare<[number, string, number], { member_id: string; last_visit_at: number }>(
      `SELECT member_id, last_visit_at FROM member_roster INDEXED BY member_roster_recent
       WHERE (last_visit_at, member_id) < (?, ?) ORDER BY last_visit_at DESC, member_id DESC LIMIT ?`,
    );
    let key = { at: Number.MAX_SAFE_INTEGER, id: '' };
    const baseline = timeEach(PAGES, () => {
      const page = bare.all(key.at, key.id, 50);
      const last = page[page.length - 1];
      if (last !== undefined) key = { at: last.last_visit_at, id: last.member_id };
    });
    const p95 = quantile(samples, 0.95);
    const baselineP95 = quantile(baseline, 0.95);
    emit({
      metric: 'member_list_page_p95_ms',
      value: p95,
      unit: 'ms',
      baseline: baselineP95,
      ratio: p95 / baselineP95,
      goal: '< 50',
    });
    ledger.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
