/**
 * Member search at 1,000,000 members: phone prefix, name prefix and name "contains", through the one
 * search function the counter uses. The baseline is the same phone and name lookups as a plain LIKE over
 * the ledger's own members table (no search index), measured on the same ledger in the same run.
 * The million members are built with bulk INSERT … SELECT in one transaction, not through the API (which
 * validates and audits each one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, type MemberSearchQuery, openLedger, openMemberRegistry, seedDemo } from '../../db/index';
import { type Emit, progress, quantile, since, timeEach } from './harness';
import { sealedNamesBench } from './member-names-sealed';

const MEMBERS = 1_000_000;
const SAMPLES = 2_000;
const BASELINE_SAMPLES = 60;

// Common surnames and given-name characters; names are one surname and one or two given characters.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国文斌宇浩凯健俊帆帅旭宁龙林欣怡梓涵子轩雨欣一诺思远佳琪可馨梦琪晨阳博文天佑睿泽婷雪倩颖慧敏琳晶琴兰凤洁梅莉蓉薇雯露瑶';

export default async function membersBench(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'members-bench-'));
  try {
    const path = join(dir, 'ledger.sqlite');
    const seed = openLedger({ path, checkpointIntervalMs: 0 });
    seedDemo(seed, { now: Date.UTC(2026, 0, 1) });
    seed.close();

    const ledger = openLedger({ path, checkpointIntervalMs: 0 });
    const start = process.hrtime.bigint();
    build(ledger.sqlite);
    const buildMs = since(start);
    progress(`built ${MEMBERS} members in ${(buildMs / 1000).toFixed(1)} s`);
    emit({ metric: 'member_bulk_build_s', value: buildMs / 1000, unit: 's' });

    // Opening the member registry looks for ledger members without a profile: the first time over all of them,
    // afterwards only over those added since (as at every start of the terminal).
    const firstOpen = process.hrtime.bigint();
    openMemberRegistry(ledger);
    emit({ metric: 'member_registry_first_open_ms', value: since(firstOpen), unit: 'ms' });
    const opening = process.hrtime.bigint();
    const members = openMemberRegistry(ledger);
    emit({ metric: 'member_registry_open_ms', value: since(opening), unit: 'ms' });
    const phones = ledger.sqlite
      .prepare<[number], { phone: string }>(
        'SELECT phone FROM member_profiles WHERE phone IS NOT NULL ORDER BY random() LIMIT ?',
      )
      .all(SAMPLES)
      .map((r) => r.phone);
    const names = ledger.sqlite
      .prepare<[number], { name: string }>('SELECT name FROM member_profiles ORDER BY random() LIMIT ?')
      .all(SAMPLES)
      .map((r) => r.name);

    // Phone prefixes of 3 to 11 digits, as a cashier types them; names by prefix (surname, surname and
    // first given character) and by a given character alone (contains).
    const phoneQueries: MemberSearchQuery[] = phones.map((phone, i) => ({
      text: phone.slice(0, 3 + (i % 9)),
      by: 'phone',
    }));
    const namePrefixQueries: MemberSearchQuery[] = names.map((name, i) => ({
      text: [...name].slice(0, 1 + (i % 2)).join(''),
      by: 'name',
    }));
    const nameContainsQueries: MemberSearchQuery[] = names.map((name, i) => ({
      text: [...name].slice(1, 2 + (i % 2)).join('') || name,
      by: 'name',
    }));

    const run = (queries: MemberSearchQuery[]) => {
      let found = 0;
      // One untimed pass warms the page cache, as a till that has been open a while would be.
      for (const query of queries.slice(0, 200)) members.searchMembers(query);
      const samples = timeEach(queries.length, (i) => {
        found += members.searchMembers(queries[i] as MemberSearchQuery).length;
      });
      return { samples, found };
    };
    const phone = run(phoneQueries);
    const namePrefix = run(namePrefixQueries);
    const nameContains = run(nameContainsQueries);
    progress(
      `hits per search: phone ${(phone.found / SAMPLES).toFixed(1)}, name prefix ${(namePrefix.found / SAMPLES).toFixed(1)}, contains ${(nameContains.found / SAMPLES).toFixed(1)}`,
    );

    // Baseline: the same lookups without the search tables, a LIKE over the ledger's members table.
    const likePhone = ledger.sqlite.prepare(
      'SELECT id, name, phone FROM members WHERE phone LIKE ? LIMIT 20',
    );
    const likeName = ledger.sqlite.prepare('SELECT id, name, phone FROM members WHERE name LIKE ? LIMIT 20');
    const baseline = timeEach(BASELINE_SAMPLES, (i) => {
      if (i % 2 === 0) likePhone.all(`${phones[i]}%`);
      else likeName.all(`%${nameContainsQueries[i]?.text}%`);
    });

    const all = [...phone.samples, ...namePrefix.samples, ...nameContains.samples];
    const p95 = quantile(all, 0.95);
    const baselineP95 = quantile(baseline, 0.95);
    emit({
      metric: 'member_search_p95_ms',
      value: p95,
      unit: 'ms',
      baseline: baselineP95,
      ratio: p95 / baselineP95,
      goal: '< 20',
    });
    emit({
      metric: 'member_search_phone_p95_ms',
      value: quantile(phone.samples, 0.95),
      unit: 'ms',
      goal: '< 20',
    });
    emit({
      metric: 'member_search_name_prefix_p95_ms',
      value: quantile(namePrefix.samples, 0.95),
      unit: 'ms',
      goal: '< 20',
    });
    emit({
      metric: 'member_search_name_contains_p95_ms',
      value: quantile(nameContains.samples, 0.95),
      unit: 'ms',
      goal: '< 20',
    });
    emit({ metric: 'member_search_p99_ms', value: quantile(all, 0.99), unit: 'ms' });
    ledger.close();
    await sealedNamesBench(emit, dir, build);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `count` members (a million by default) in the ledger's table, their profiles and their name pieces. Phones are unique: the
 * second digit and the last nine are a bijection of the row number.
 */
export function build(db: ReturnType<typeof openLedger>['sqlite'], count = MEMBERS): void {
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    db.prepare(
      `INSERT INTO members (id, store_id, name, phone, created_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
       SELECT printf('bench-%07d', i), @store,
              substr(@surnames, (i * 7919) % length(@surnames) + 1, 1)
                || substr(@given, (i * 104729) % length(@given) + 1, 1)
                || CASE WHEN i % 3 = 0 THEN '' ELSE substr(@given, (i * 1299709) % length(@given) + 1, 1) END,
              printf('1%d%09d', 3 + (i % 7), i / 7),
              @at
       FROM n`,
    ).run({
      count,
      store: DEMO.storeId,
      surnames: SURNAMES,
      given: GIVEN,
      at: Date.UTC(2026, 0, 1),
    });
  })();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO member_profiles (member_id, name, phone, created_at, updated_at)
       SELECT id, name, phone, created_at, created_at FROM members WHERE id LIKE 'bench-%'`,
    ).run();
    // Every one- and two-character piece of each name (names here are two or three characters).
    db.prepare(
      `INSERT OR IGNORE INTO member_name_grams (gram, member_id)
       SELECT substr(name, k, 1), member_id FROM member_profiles, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3)
       WHERE k <= length(name) AND member_id LIKE 'bench-%'
       UNION ALL
       SELECT substr(name, k, 2), member_id FROM member_profiles, (SELECT 1 AS k UNION ALL SELECT 2)
       WHERE k < length(name) AND member_id LIKE 'bench-%'`,
    ).run();
  })();
  db.pragma('synchronous = FULL');
  db.exec('ANALYZE');
}
