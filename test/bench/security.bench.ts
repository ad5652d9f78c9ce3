/**
 * Bench `security`: what an online backup costs the counter.
 *
 * Builds the largest ledger that fits the set-up budget (target 1 GB; real members, cards and accounts made
 * through the ledger, then operations bulk-inserted into its tables in one transaction with balances that
 * add up), then measures real top-ups and spends arriving on a fixed schedule, first alone and then while
 * an encrypted online backup of that ledger runs in the same process. Latency is counted from each
 * operation's scheduled arrival, so time spent waiting behind a backup step is included.
 *
 *   SECURITY_BENCH_LEDGER_MB   target ledger size (default 1024)
 *   SECURITY_BENCH_SETUP_S     set-up budget in seconds (default 110)
 *   SECURITY_BENCH_INTERVAL_MS operation arrival interval (default 20)
 *   SECURITY_BENCH_SCRATCH     'disk' keeps the plain snapshot in the backup folder (default: shared memory
 *                              when it fits), to compare the two
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import Sqlite from 'better-sqlite3';
import {
  type BackupResult,
  createKeyring,
  DEMO,
  type Ledger,
  openLedger,
  seedDemo,
  takeBackup,
} from '../../db';
import { type Emit, median, progress, quantile } from './harness';

const TARGET_BYTES = Number(process.env.SECURITY_BENCH_LEDGER_MB ?? 1024) * 1024 * 1024;
const SETUP_BUDGET_MS = Number(process.env.SECURITY_BENCH_SETUP_S ?? 110) * 1000;
const CARDS = 20_000;
const BASELINE_OPERATIONS = 1_000;
const BACKUP_ROUNDS = 3;
/**
 * Operations arrive every 20 ms (50 a second), far busier than any counter. Fixed rather than derived from
 * a measured service time: fsync latency on shared disks swings tenfold, and an interval taken from a
 * lucky moment overloads the ledger and measures a queue instead of an operation.
 */
const ARRIVAL_INTERVAL_MS = Number(process.env.SECURITY_BENCH_INTERVAL_MS ?? 20);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let idCounter = 0;
const idPrefix = Array.from(randomBytes(6), (byte) => CROCKFORD[byte % 32]).join('');

/**
 * ULID-shaped, time-sortable ids (10 time characters, then a per-run prefix and a counter). The `ulid`
 * package draws fresh randomness per character, which alone would take most of the set-up budget.
 */
function operationId(at: number = Date.now()): string {
  let time = '';
  let rest = at;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let count = '';
  let n = idCounter++;
  for (let i = 0; i < 10; i += 1) {
    count = CROCKFORD[n % 32] + count;
    n = Math.floor(n / 32);
  }
  return `${time}${idPrefix}${count}`;
}

interface CardAccounts {
  cardId: string;
  cardNumber: string;
  principal: number;
  bonus: number;
  points: number;
  balance: { principal: number; bonus: number; points: number };
}

function makeCards(ledger: Ledger): CardAccounts[] {
  const accountOf = ledger.sqlite.prepare<[string], { id: number }>('SELECT id FROM accounts WHERE code = ?');
  const cards: CardAccounts[] = [];
  ledger.sqlite.transaction(() => {
    for (let i = 0; i < CARDS; i += 1) {
      const memberId = `bench-member-${i}`;
      ledger.createMember({
        id: memberId,
        storeId: DEMO.storeId,
        name: `会员${i}`,
        phone: `139${String(i).padStart(8, '0')}`,
      });
      const cardId = `bench-card-${i}`;
      const cardNumber = `77${String(i).padStart(14, '0')}`;
      ledger.issueCard({ id: cardId, memberId, cardNumber, medium: 'keyed' });
      const kinds = ['principal', 'bonus', 'points'].map(
        (kind) => accountOf.get(`card:${cardId}:${kind}`)?.id,
      );
      if (kinds.some((id) => id === undefined))
        throw new Error(`card ${cardId} has no accounts of the expected kinds`);
      cards.push({
        cardId,
        cardNumber,
        principal: kinds[0]!,
        bonus: kinds[1]!,
        points: kinds[2]!,
        balance: { principal: 0, bonus: 0, points: 0 },
      });
    }
  })();
  return cards;
}

/** Bulk operations straight into the ledger's tables, in one transaction, until the size or time budget is spent. */
function bulkFill(path: string, cards: CardAccounts[], deadline: number): number {
  // Set-up only: a private connection without a journal and with a large cache, so building the ledger
  // takes seconds per hundred megabytes. The ledger reopens the file normally (WAL, synchronous=FULL).
  const db = new Sqlite(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  const storeAccount = (kind: string) =>
    db
      .prepare<[string], { id: number }>('SELECT id FROM accounts WHERE code = ?')
      .get(`store:${DEMO.storeId}:${kind}`)!.id;
  const cash = storeAccount('cash_drawer');
  const bonusExpense = storeAccount('bonus_expense');
  const pointsIssued = storeAccount('points_issued');
  const revenue = storeAccount('stored_value_revenue');
  const insertOperation = db.prepare(
    `INSERT INTO operations (id, kind, store_id, terminal_id, staff_id, card_id, amount_fen, principal_fen, bonus_fen,
       points, tender, memo, business_day, created_at, principal_after, bonus_after, points_after, request_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTransfer = db.prepare(
    'INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount) VALUES (?, ?, ?, ?)',
  );
  const insertAudit = db.prepare(
    `INSERT INTO audit (at, action, outcome, operation_id, staff_id, terminal_id) VALUES (?, ?, 'ok', ?, ?, ?)`,
  );
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (operation_id, terminal_id, store_id, kind, payload, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const totals = new Map<number, { debits: number; credits: number }>();
  const post = (seq: number, debit: number, credit: number, amount: number) => {
    insertTransfer.run(seq, debit, credit, amount);
    const d = totals.get(debit) ?? { debits: 0, credits: 0 };
    d.debits += amount;
    totals.set(debit, d);
    const c = totals.get(credit) ?? { debits: 0, credits: 0 };
    c.credits += amount;
    totals.set(credit, c);
  };
  const staffId = DEMO.staff.cashier.id;
  const terminalId = DEMO.terminalId;
  let at = Date.UTC(2025, 0, 1);
  let count = 0;
  db.transaction(() => {
    for (;;) {
      for (let batch = 0; batch < 5_000; batch += 1) {
        const card = cards[(count * 7919) % cards.length]!;
        const id = operationId(at);
        const day = new Date(at).toISOString().slice(0, 10);
        const topUp = card.balance.principal < 2_000 || count % 3 !== 2;
        const amount = topUp ? 10_000 : 1_500;
        const bonus = topUp ? 1_000 : 0;
        const points = topUp ? 100 : 0;
        if (topUp) {
          card.balance.principal += amount;
          card.balance.bonus += bonus;
          card.balance.points += points;
        } else {
          card.balance.principal -= amount;
        }
        const { lastInsertRowid } = insertOperation.run(
          id,
          topUp ? 'top_up' : 'spend',
          DEMO.storeId,
          terminalId,
          staffId,
          card.cardId,
          amount,
          amount,
          bonus,
          points,
          topUp ? 'wechat' : null,
          topUp ? null : '拿铁 Latte ×1',
          day,
          at,
          card.balance.principal,
          card.balance.bonus,
          card.balance.points,
          `bulk${count.toString(36).padStart(18, '0')}`,
        );
        const seq = Number(lastInsertRowid);
        if (topUp) {
          post(seq, cash, card.principal, amount);
          post(seq, bonusExpense, card.bonus, bonus);
          post(seq, pointsIssued, card.points, points);
        } else {
          post(seq, card.principal, revenue, amount);
        }
        insertAudit.run(at, topUp ? 'operation.top_up' : 'operation.spend', id, staffId, terminalId);
        const payload = JSON.stringify({
          operation: {
            id,
            kind: topUp ? 'top_up' : 'spend',
            amountFen: amount,
            principalFen: amount,
            bonusFen: bonus,
            points,
            businessDay: day,
            createdAt: at,
            balanceAfter: card.balance,
          },
          card: { id: card.cardId, cardNumber: card.cardNumber },
          staff: { id: staffId, code: DEMO.staff.cashier.code },
          tender: topUp ? 'wechat' : null,
        });
        insertOutbox.run(id, terminalId, DEMO.storeId, topUp ? 'top_up' : 'spend', payload, at, at + 2_000);
        at += 1_500;
        count += 1;
      }
      const pages = Number(db.pragma('page_count', { simple: true }));
      const bytes = pages * Number(db.pragma('page_size', { simple: true }));
      if (count % 100_000 === 0) progress(`  ${count} operations, ~${(bytes / 2 ** 20).toFixed(0)} MB`);
      if (bytes >= TARGET_BYTES || Date.now() >= deadline) break;
    }
    const update = db.prepare(
      'UPDATE balances SET debits = debits + ?, credits = credits + ? WHERE account_id = ?',
    );
    for (const [account, sums] of totals) update.run(sums.debits, sums.credits, account);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
  // Written without syncs, so the gigabyte is still dirty in the page cache; flush it now, or the
  // baseline would measure the kernel's writeback instead of the ledger.
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  progress(`  filled ${path}: ${count} operations`);
  return count;
}

interface Schedule {
  samples: number[];
}

/** Operations arriving every `intervalMs`; each sample is completion minus scheduled arrival, in ms. */
async function runOperations(
  ledger: Ledger,
  cards: CardAccounts[],
  intervalMs: number,
  keepGoing: (done: number) => boolean,
): Promise<Schedule> {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; keepGoing(i); i += 1) {
    const intended = start + i * intervalMs;
    const wait = intended - performance.now();
    if (wait > 1) await sleep(wait);
    else await yieldToLoop();
    const card = cards[(i * 31) % 50]!;
    const common = {
      operationId: operationId(),
      cardId: card.cardId,
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    };
    if (i % 2 === 0) ledger.topUp({ ...common, amountFen: 5_000, tender: 'cash', bonusFen: 0, points: 0 });
    else ledger.spend({ ...common, amountFen: 1_000 });
    samples.push(performance.now() - intended);
  }
  return { samples };
}

export default async function security(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-security-'));
  const path = join(dir, 'ledger.sqlite');
  try {
    const setupStart = Date.now();
    progress(
      `building a ledger of up to ${(TARGET_BYTES / 2 ** 20).toFixed(0)} MB within ${SETUP_BUDGET_MS / 1000} s`,
    );
    let ledger = openLedger({ path, checkpointIntervalMs: 0 });
    seedDemo(ledger);
    const cards = makeCards(ledger);
    progress(`  ${CARDS} members and cards in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
    ledger.close();
    const operations = bulkFill(path, cards, setupStart + SETUP_BUDGET_MS);
    ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
    const ledgerBytes = statSync(path).size;
    const setupSeconds = (Date.now() - setupStart) / 1000;
    progress(
      `ledger ready: ${(ledgerBytes / 2 ** 20).toFixed(0)} MB, ${operations} operations, ${setupSeconds.toFixed(0)} s`,
    );
    emit({
      metric: 'ledger_bytes',
      value: ledgerBytes,
      unit: 'bytes',
      goal: `target ${TARGET_BYTES} (1 GB); the size reached within the set-up budget`,
    });
    emit({ metric: 'ledger_operations', value: operations, unit: 'operations' });
    emit({ metric: 'setup_s', value: setupSeconds, unit: 's' });

    // The measured cards start with money on them, so every spend in the run is accepted.
    for (const card of cards.slice(0, 50)) {
      ledger.topUp({
        operationId: operationId(),
        cardId: card.cardId,
        amountFen: 1_000_000,
        tender: 'cash',
        bonusFen: 0,
        points: 0,
        staffId: DEMO.staff.cashier.id,
        terminalId: DEMO.terminalId,
      });
    }
    // Warm up (page cache, prepared statements), and record what one operation costs back to back.
    await runOperations(ledger, cards, 0, (done) => done < 200);
    const service = median(
      (await runOperations(ledger, cards, 0, (done) => done < 200)).samples.map((_, i, all) =>
        i === 0 ? all[0]! : all[i]! - all[i - 1]!,
      ),
    );
    const intervalMs = ARRIVAL_INTERVAL_MS;
    emit({ metric: 'op_service_ms', value: service, unit: 'ms' });
    emit({ metric: 'arrival_interval_ms', value: intervalMs, unit: 'ms' });

    progress(`baseline: ${BASELINE_OPERATIONS} operations every ${intervalMs} ms, no backup`);
    const without = await runOperations(ledger, cards, intervalMs, (done) => done < BASELINE_OPERATIONS);

    progress('the same load while an encrypted online backup runs');
    const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);
    // Several backups back to back, their samples pooled, so the p99 rests on more than a few hundred operations.
    let copySteps = 0;
    const during: Schedule = { samples: [] };
    const results: BackupResult[] = [];
    for (let round = 0; round < BACKUP_ROUNDS; round += 1) {
      let backupDone = false;
      const backup = takeBackup({
        sourcePath: path,
        dir: join(dir, 'backups'),
        keyring,
        keep: 1,
        ...(process.env.SECURITY_BENCH_SCRATCH === 'disk' ? { scratchDir: join(dir, 'backups') } : {}),
        onProgress: (event) => {
          if (event.phase === 'copy') copySteps += 1;
        },
      }).finally(() => {
        backupDone = true;
      });
      const measured = await runOperations(ledger, cards, intervalMs, () => !backupDone);
      during.samples.push(...measured.samples);
      results.push(await backup);
      progress(`  backup ${round + 1}/${BACKUP_ROUNDS}: ${(results.at(-1)!.durationMs / 1000).toFixed(1)} s`);
    }
    const result = {
      durationMs: median(results.map((r) => r.durationMs)),
      databaseBytes: results[0]!.databaseBytes,
      bytes: results[0]!.bytes,
      copyRestarts: results.reduce((sum, r) => sum + r.copyRestarts, 0),
    };

    progress('the same load again after the backup, to show the baseline held');
    const afterwards = await runOperations(ledger, cards, intervalMs, (done) => done < BASELINE_OPERATIONS);
    ledger.close();

    const p99Without = quantile(without.samples, 0.99);
    const p99During = quantile(during.samples, 0.99);
    emit({
      metric: 'op_p50_ms',
      value: median(during.samples),
      unit: 'ms',
      baseline: median(without.samples),
      ratio: median(during.samples) / median(without.samples),
    });
    emit({
      metric: 'op_p99_ms',
      value: p99During,
      unit: 'ms',
      baseline: p99Without,
      ratio: p99During / p99Without,
    });
    emit({
      metric: 'op_max_ms',
      value: Math.max(...during.samples),
      unit: 'ms',
      baseline: Math.max(...without.samples),
    });
    emit({
      metric: 'backup_p99_ratio',
      value: p99During / p99Without,
      unit: 'ratio',
      baseline: p99Without,
      ratio: p99During / p99Without,
      goal: '<= 2',
    });
    emit({
      metric: 'op_p99_after_backup_ms',
      value: quantile(afterwards.samples, 0.99),
      unit: 'ms',
      baseline: p99Without,
    });
    emit({ metric: 'operations_during_backup', value: during.samples.length, unit: 'operations' });
    emit({ metric: 'backups_measured', value: BACKUP_ROUNDS, unit: 'backups' });
    emit({ metric: 'backup_s', value: result.durationMs / 1000, unit: 's' });
    emit({
      metric: 'backup_mb_per_s',
      value: result.databaseBytes / 2 ** 20 / (result.durationMs / 1000),
      unit: 'MB/s',
    });
    emit({
      metric: 'backup_bytes',
      value: result.bytes,
      unit: 'bytes',
      baseline: result.databaseBytes,
      ratio: result.bytes / result.databaseBytes,
    });
    emit({ metric: 'backup_copy_steps', value: copySteps / BACKUP_ROUNDS, unit: 'steps' });
    emit({ metric: 'backup_copy_restarts', value: result.copyRestarts, unit: 'restarts' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
