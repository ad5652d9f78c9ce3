/**
 * Ledger benchmarks:
 * - commit latency of top-up and spend through the ledger (synchronous=FULL, WAL) beside a bare one-row
 *   INSERT commit on a file with the same pragmas, interleaved in blocks in the same run;
 * - card lookup by UID at 1,000,000 cards;
 * - the invariant check at 1,000,000 operations;
 * - database size per million operations, measured on operations written through the API.
 * Million-row fixtures are built with bulk INSERT … SELECT in one transaction, not through the API.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { applyLedgerPragmas, DEMO, type Ledger, openLedger, seedDemo } from '../../db/index';
import { type Emit, median, progress, quantile, since, timeEach } from './harness';

// The ledger checkpoints on a timer between operations, never inside one; the bench runs that checkpoint
// between blocks (for the bare table too), as the timer would on a till doing a few operations a second.
const BLOCKS = 25;
const PER_BLOCK = 100;
const MILLION = 1_000_000;

export default async function ledgerBench(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  try {
    commitLatency(emit, dir);
    cardLookup(emit, dir);
    invariantCheck(emit, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no log file
    }
  }
  return total;
}

function commitLatency(emit: Emit, dir: string): void {
  const barePath = join(dir, 'bare.sqlite');
  const bare = new Sqlite(barePath);
  applyLedgerPragmas(bare);
  bare.exec(
    'CREATE TABLE bare (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, created_at INTEGER NOT NULL)',
  );
  const insert = bare.prepare('INSERT INTO bare (amount, created_at) VALUES (?, ?)');

  const ledgerPath = join(dir, 'ledger.sqlite');
  const ledger = openLedger({ path: ledgerPath, checkpointIntervalMs: 0 });
  seedDemo(ledger, {});
  ledger.checkpoint();
  const sizeBefore = fileBytes(ledgerPath);
  const who = { staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
  const cards = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id, DEMO.cards.keyed.id];

  // Warm-up: statement caches, page cache, and the log file's first growth.
  for (let i = 0; i < 200; i += 1) insert.run(i, Date.now());
  for (let i = 0; i < 100; i += 1) {
    ledger.topUp({
      operationId: `warm-${i}`,
      cardId: cards[i % 4]!,
      amountFen: 10_000,
      tender: 'wechat',
      bonusFen: 1_000,
      points: 10,
      ...who,
    });
  }

  // The three kinds of commit take turns one by one, so a noisy neighbour on the machine hits them alike.
  const bareSamples: number[] = [];
  const topUpSamples: number[] = [];
  const spendSamples: number[] = [];
  const time = (samples: number[], fn: () => void) => {
    const start = process.hrtime.bigint();
    fn();
    samples.push(since(start));
  };
  let sequence = 0;
  for (let block = 0; block < BLOCKS; block += 1) {
    if (block % 5 === 0) progress(`ledger: commit block ${block + 1}/${BLOCKS}`);
    bare.pragma('wal_checkpoint(PASSIVE)');
    ledger.checkpoint();
    for (let i = 0; i < PER_BLOCK; i += 1) {
      sequence += 1;
      const cardId = cards[sequence % 4]!;
      time(bareSamples, () => insert.run(sequence, Date.now()));
      time(topUpSamples, () =>
        ledger.topUp({
          operationId: `top-${sequence}`,
          cardId,
          amountFen: 10_000,
          tender: 'wechat',
          tenderReference: `WX${sequence}`,
          bonusFen: 1_000,
          points: 10,
          ...who,
        }),
      );
      time(spendSamples, () =>
        ledger.spend({
          operationId: `spend-${sequence}`,
          cardId,
          amountFen: 2_500,
          memo: '美式咖啡',
          ...who,
        }),
      );
    }
  }
  const bareP99 = quantile(bareSamples, 0.99);
  const bareMedian = median(bareSamples);
  emit({ metric: 'bare_commit_median_ms', value: bareMedian, unit: 'ms' });
  emit({ metric: 'bare_commit_p99_ms', value: bareP99, unit: 'ms' });
  for (const [name, samples] of [
    ['topup', topUpSamples],
    ['spend', spendSamples],
  ] as const) {
    const m = median(samples);
    const p99 = quantile(samples, 0.99);
    emit({
      metric: `${name}_commit_median_ms`,
      value: m,
      unit: 'ms',
      baseline: bareMedian,
      ratio: m / bareMedian,
    });
    emit({
      metric: `${name}_commit_p99_ms`,
      value: p99,
      unit: 'ms',
      baseline: bareP99,
      ratio: p99 / bareP99,
    });
  }
  const topUpP99 = quantile(topUpSamples, 0.99);
  emit({
    metric: 'commit_ratio_p99',
    value: topUpP99 / bareP99,
    unit: 'ratio',
    baseline: bareP99,
    ratio: topUpP99 / bareP99,
    goal: '<= 2',
  });

  // Size: everything an operation writes (operation, transfers, balances, audit, outbox), after a checkpoint.
  ledger.checkpoint();
  ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const operations = topUpSamples.length + spendSamples.length;
  const bytesPerOperation = (fileBytes(ledgerPath) - sizeBefore) / (operations + 100);
  emit({ metric: 'db_mb_per_million_ops', value: (bytesPerOperation * MILLION) / 2 ** 20, unit: 'MB' });
  progress(
    `ledger: ${operations + 100} operations through the API, ${bytesPerOperation.toFixed(0)} bytes each`,
  );
  ledger.close();
  bare.close();
}

/** 1,000,000 members, each with one card (with its three accounts and balance rows). */
function buildMillionCards(ledger: Ledger): void {
  const db = ledger.sqlite;
  const store = DEMO.storeId;
  const at = Date.now();
  db.transaction(() => {
    const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MILLION})`;
    db.prepare(
      `${series} INSERT INTO members (id, store_id, name, phone, created_at)
       SELECT 'mb-' || i, ?, 'Member ' || i, NULL, ? FROM n`,
    ).run(store, at);
    db.prepare(
      `${series} INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       SELECT 'cb-' || i, 'mb-' || i, ?, printf('77%014d', i), printf('04%012X', i * 7919), 'uid', 'active', ?, ? FROM n`,
    ).run(store, at, at);
    db.prepare(
      `${series}, k(kind, unit, n) AS (VALUES ('card_principal', 'fen', 0), ('card_bonus', 'fen', 1), ('card_points', 'points', 2))
       INSERT INTO accounts (id, code, kind, unit, store_id, card_id)
       SELECT 1000000 + i * 3 + k.n, 'card:cb-' || i || ':' || substr(k.kind, 6), k.kind, k.unit, ?, 'cb-' || i FROM n, k`,
    ).run(store);
    db.prepare(
      'INSERT INTO balances (account_id, debits, credits, no_overdraft) SELECT id, 0, 0, 1 FROM accounts WHERE id > 1000000',
    ).run();
  })();
}

function cardLookup(emit: Emit, dir: string): void {
  const path = join(dir, 'cards.sqlite');
  let ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger, {});
  progress('ledger: building 1,000,000 cards');
  let start = process.hrtime.bigint();
  buildMillionCards(ledger);
  progress(`ledger: built in ${(since(start) / 1000).toFixed(1)} s`);
  ledger.close();
  start = process.hrtime.bigint();
  ledger = openLedger({ path, checkpointIntervalMs: 0 });
  emit({ metric: 'open_with_invariant_check_ms_at_1m_cards', value: since(start), unit: 'ms' });
  const uids: string[] = [];
  let seed = 12345;
  for (let i = 0; i < 20_000; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (seed % MILLION);
    uids.push(`04${(n * 7919).toString(16).toUpperCase().padStart(12, '0')}`);
  }
  for (const uid of uids.slice(0, 2_000)) ledger.findCardByUid(uid);
  const samples = timeEach(uids.length, (i) => {
    if (!ledger.findCardByUid(uids[i]!)) throw new Error(`card ${uids[i]} not found`);
  });
  emit({ metric: 'card_lookup_median_ms', value: median(samples), unit: 'ms' });
  emit({ metric: 'card_lookup_p99_ms', value: quantile(samples, 0.99), unit: 'ms', goal: '< 0.2' });
  ledger.close();
}

/** 1,000,000 operations on 20,000 cards: top-up (principal and bonus) then a spend, card after card. */
function buildMillionOperations(ledger: Ledger): void {
  const db = ledger.sqlite;
  const store = DEMO.storeId;
  const cards = 20_000;
  const account = (code: string) =>
    (db.prepare('SELECT id FROM accounts WHERE code = ?').get(code) as { id: number }).id;
  const clearing = account(`store:${store}:clearing_wechat`);
  const bonusExpense = account(`store:${store}:bonus_expense`);
  const revenue = account(`store:${store}:stored_value_revenue`);
  const start = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    const cardSeries = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${cards - 1})`;
    db.prepare(
      `${cardSeries} INSERT INTO members (id, store_id, name, phone, created_at) SELECT 'mo-' || i, ?, 'Member ' || i, NULL, ? FROM n`,
    ).run(store, start);
    db.prepare(
      `${cardSeries} INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       SELECT 'co-' || i, 'mo-' || i, ?, printf('66%014d', i), NULL, 'keyed', 'active', ?, ? FROM n`,
    ).run(store, start, start);
    db.prepare(
      `${cardSeries}, k(kind, unit, n) AS (VALUES ('card_principal', 'fen', 0), ('card_bonus', 'fen', 1), ('card_points', 'points', 2))
       INSERT INTO accounts (id, code, kind, unit, store_id, card_id)
       SELECT 1000000 + i * 3 + k.n, 'card:co-' || i || ':' || substr(k.kind, 6), k.kind, k.unit, ?, 'co-' || i FROM n, k`,
    ).run(store);
    db.prepare(
      'INSERT INTO balances (account_id, debits, credits, no_overdraft) SELECT id, 0, 0, 1 FROM accounts WHERE id >= 1000000',
    ).run();
    // Operation i: even → top-up 10,000 + bonus 1,000 on card (i/2) % cards; odd → spend 2,500 on the same card.
    const opSeries = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${MILLION - 1})`;
    db.prepare(
      `${opSeries} INSERT INTO operations (seq, id, kind, store_id, terminal_id, staff_id, approved_by, card_id,
         counterpart_card_id, target_operation_id, amount_fen, principal_fen, bonus_fen, points, tender, tender_reference,
         memo, card_state, business_day, created_at, principal_after, bonus_after, points_after, request_hash)
       SELECT 1000 + i, printf('01JBENCH%018d', i), CASE i % 2 WHEN 0 THEN 'top_up' ELSE 'spend' END, ?, ?, ?, NULL,
         'co-' || ((i / 2) % ${cards}), NULL, NULL,
         CASE i % 2 WHEN 0 THEN 10000 ELSE 2500 END, CASE i % 2 WHEN 0 THEN 10000 ELSE 2500 END,
         CASE i % 2 WHEN 0 THEN 1000 ELSE 0 END, 0, CASE i % 2 WHEN 0 THEN 'wechat' ELSE NULL END, NULL, NULL, NULL,
         '2026-01-01', ? + i * 1000, 0, 0, 0, 'benchfixturehash000000' FROM n`,
    ).run(store, DEMO.terminalId, DEMO.staff.cashier.id, start);
    db.prepare(
      `INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount)
       SELECT seq, ?, 1000000 + ((seq - 1000) / 2 % ${cards}) * 3, 10000 FROM operations WHERE seq >= 1000 AND kind = 'top_up'
       UNION ALL
       SELECT seq, ?, 1000000 + ((seq - 1000) / 2 % ${cards}) * 3 + 1, 1000 FROM operations WHERE seq >= 1000 AND kind = 'top_up'
       UNION ALL
       SELECT seq, 1000000 + ((seq - 1000) / 2 % ${cards}) * 3, ?, 2500 FROM operations WHERE seq >= 1000 AND kind = 'spend'
       ORDER BY 1`,
    ).run(clearing, bonusExpense, revenue);
    db.prepare(
      `UPDATE balances SET
         debits = (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE debit_account_id = balances.account_id),
         credits = (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE credit_account_id = balances.account_id)`,
    ).run();
  })();
}

function invariantCheck(emit: Emit, dir: string): void {
  const path = join(dir, 'operations.sqlite');
  let ledger = openLedger({ path, checkpointIntervalMs: 0 });
  seedDemo(ledger, {});
  progress('ledger: building 1,000,000 operations');
  const start = process.hrtime.bigint();
  buildMillionOperations(ledger);
  progress(`ledger: built in ${(since(start) / 1000).toFixed(1)} s`);
  ledger.close();
  ledger = openLedger({ path, checkpointIntervalMs: 0 });
  const counts = ledger.sqlite
    .prepare(
      'SELECT (SELECT COUNT(*) FROM operations) AS operations, (SELECT COUNT(*) FROM transfers) AS transfers',
    )
    .get() as { operations: number; transfers: number };
  progress(`ledger: ${counts.operations} operations, ${counts.transfers} transfers`);
  const samples = timeEach(3, () => {
    const report = ledger.checkInvariants();
    if (!report.ok)
      throw new Error(`fixture breaks the invariants: ${JSON.stringify(report.problems.slice(0, 3))}`);
  });
  emit({ metric: 'invariant_check_ms', value: median(samples), unit: 'ms', goal: '< 1000' });
  ledger.close();
}
