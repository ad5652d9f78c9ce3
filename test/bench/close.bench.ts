/**
 * Day-close benchmarks on a 1,000,000-operation ledger (365 business days, about 2,740 operations a day:
 * top-ups in three tenders with bonus, charges and withdrawals), built with bulk INSERT … SELECT:
 * - z_report_ms: the Z report of a day whose previous day is closed (the nightly case), beside the bare
 *   query that reads the same day's operations and transfers (baseline);
 * - z_report_from_journal_ms: the same report before any day is closed, when the opening comes from the
 *   whole journal (the first close on a book);
 * - day_close_ms: closing that day (report, lock and stored snapshot in one transaction);
 * - analytics_ms: the manager's analytics page (trends, heat map, segments, churn, top members) over a year,
 *   closed days read from their stored figures, beside the same page computed from operations (baseline);
 * - reports_first_chart_ms: the reports screen opened in Chromium on such a year to its first chart drawn,
 *   beside the day close screen opened to its Z report (baseline);
 * - export_peak_mb: peak RSS growth while streaming all 1,000,000 rows to CSV and to XLSX, each export in a
 *   process of its own. The book is read through a memory map, so it is scanned once first and its pages
 *   are resident before the baseline.
 * - member_list_page_p95_ms: one filtered page of the 会员 list at 1,000,000 members (`./member-list.ts`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEMO, type Ledger, openLedger, seedDemo } from '../../db/index';
import {
  analytics,
  exportOperationsCsv,
  exportOperationsXlsx,
  openBusinessDays,
} from '../../db/reports/index';
import { type Emit, median, progress, since, timeEach } from './harness';
import { memberListBench } from './member-list';

const MILLION = 1_000_000;
const CARDS = 20_000;
const DAYS = 365;
const DAY_MS = 86_400_000;
/** 2025-01-01 10:00 in Shanghai. */
const START = Date.UTC(2025, 0, 1, 2, 0, 0);

export default async function closeBench(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'close-bench-'));
  try {
    const path = join(dir, 'close.sqlite');
    const ledger = openLedger({ path, checkpointIntervalMs: 0, now: () => START + DAYS * DAY_MS });
    seedDemo(ledger, {});
    progress('close: building 1,000,000 operations over 365 days');
    const started = process.hrtime.bigint();
    const days = buildYear(ledger);
    progress(`close: built in ${(since(started) / 1000).toFixed(1)} s`);
    // The same page before any day is closed reads every operation: the baseline for analytics_ms.
    const live = analyticsSamples(ledger);
    zReport(emit, ledger, days);
    const stored = analyticsSamples(ledger);
    emit({
      metric: 'analytics_ms',
      value: median(stored),
      unit: 'ms',
      baseline: median(live),
      ratio: median(stored) / median(live),
      goal: '< 1000',
    });
    await exports(emit, ledger, dir, days);
    ledger.close();
    await reportsFirstChart(emit);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await memberListBench(emit);
}

function dayOf(index: number): string {
  return new Date(START + index * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Operation i belongs to card (i / 10) % CARDS; within each block of ten on a card: three top-ups (cash,
 * WeChat, Alipay; 100 yuan + 10 yuan bonus), six charges of 25 yuan and a 10 yuan cash withdrawal, so no
 * card ever goes below zero. The day and the hour follow i; staff alternate between cashier and manager.
 */
export function buildYear(ledger: Ledger): string[] {
  const db = ledger.sqlite;
  const store = DEMO.storeId;
  const account = (code: string) =>
    (db.prepare('SELECT id FROM accounts WHERE code = ?').get(code) as { id: number }).id;
  const cash = account(`store:${store}:cash_drawer`);
  const wechat = account(`store:${store}:clearing_wechat`);
  const alipay = account(`store:${store}:clearing_alipay`);
  const bonusExpense = account(`store:${store}:bonus_expense`);
  const revenue = account(`store:${store}:stored_value_revenue`);
  const perDay = Math.ceil(MILLION / DAYS);
  db.transaction(() => {
    const cardSeries = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CARDS - 1})`;
    db.prepare(
      `${cardSeries} INSERT INTO members (id, store_id, name, phone, created_at) SELECT 'cm-' || i, ?, 'Member ' || i, NULL, ? FROM n`,
    ).run(store, START);
    db.prepare(
      `${cardSeries} INSERT INTO cards (id, member_id, store_id, card_number, uid, medium, state, created_at, updated_at)
       SELECT 'cc-' || i, 'cm-' || i, ?, printf('55%014d', i), NULL, 'keyed', 'active', ?, ? FROM n`,
    ).run(store, START, START);
    db.prepare(
      `${cardSeries}, k(kind, unit, n) AS (VALUES ('card_principal', 'fen', 0), ('card_bonus', 'fen', 1), ('card_points', 'points', 2))
       INSERT INTO accounts (id, code, kind, unit, store_id, card_id)
       SELECT 2000000 + i * 3 + k.n, 'card:cc-' || i || ':' || substr(k.kind, 6), k.kind, k.unit, ?, 'cc-' || i FROM n, k`,
    ).run(store);
    db.prepare(
      'INSERT INTO balances (account_id, debits, credits, no_overdraft) SELECT id, 0, 0, 1 FROM accounts WHERE id >= 2000000',
    ).run();
    const opSeries = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${MILLION - 1})`;
    db.prepare(
      `${opSeries}, o(i, j, kind) AS (
         SELECT i, i % 10, CASE WHEN i % 10 < 3 THEN 'top_up' WHEN i % 10 < 9 THEN 'spend' ELSE 'withdraw' END FROM n)
       INSERT INTO operations (seq, id, kind, store_id, terminal_id, staff_id, approved_by, card_id,
         counterpart_card_id, target_operation_id, amount_fen, principal_fen, bonus_fen, points, tender, tender_reference,
         memo, card_state, business_day, created_at, principal_after, bonus_after, points_after, request_hash)
       SELECT 100000 + i, printf('01JCLOSE%018d', i), kind, @store, @terminal,
         CASE (i / 7) % 2 WHEN 0 THEN @cashier ELSE @manager END, NULL,
         'cc-' || ((i / 10) % ${CARDS}), NULL, NULL,
         CASE kind WHEN 'top_up' THEN 10000 WHEN 'spend' THEN 2500 ELSE 1000 END,
         CASE kind WHEN 'top_up' THEN 10000 WHEN 'spend' THEN 2500 ELSE 1000 END,
         CASE kind WHEN 'top_up' THEN 1000 ELSE 0 END, 0,
         CASE WHEN kind = 'spend' THEN NULL WHEN j = 1 THEN 'wechat' WHEN j = 2 THEN 'alipay' ELSE 'cash' END,
         NULL, NULL, NULL,
         strftime('%Y-%m-%d', (@start + (i / ${perDay}) * ${DAY_MS}) / 1000, 'unixepoch'),
         @start + (i / ${perDay}) * ${DAY_MS} + (i % ${perDay}) * 15000, 0, 0, 0, 'closebenchfixture' FROM o`,
    ).run({
      store,
      terminal: DEMO.terminalId,
      cashier: DEMO.staff.cashier.id,
      manager: DEMO.staff.manager.id,
      start: START,
    });
    const card = `2000000 + ((seq - 100000) / 10 % ${CARDS}) * 3`;
    db.prepare(
      `INSERT INTO transfers (operation_seq, debit_account_id, credit_account_id, amount)
       SELECT seq, CASE tender WHEN 'wechat' THEN @wechat WHEN 'alipay' THEN @alipay ELSE @cash END, ${card}, 10000
         FROM operations WHERE seq >= 100000 AND kind = 'top_up'
       UNION ALL
       SELECT seq, @bonus, ${card} + 1, 1000 FROM operations WHERE seq >= 100000 AND kind = 'top_up'
       UNION ALL
       SELECT seq, ${card}, @revenue, 2500 FROM operations WHERE seq >= 100000 AND kind = 'spend'
       UNION ALL
       SELECT seq, ${card}, @cash, 1000 FROM operations WHERE seq >= 100000 AND kind = 'withdraw'
       ORDER BY 1`,
    ).run({ wechat, alipay, cash, bonus: bonusExpense, revenue });
    db.prepare(
      `UPDATE balances SET
         debits = (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE debit_account_id = balances.account_id),
         credits = (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE credit_account_id = balances.account_id)`,
    ).run();
  })();
  return Array.from({ length: DAYS }, (_, index) => dayOf(index));
}

function zReport(emit: Emit, ledger: Ledger, days: string[]): void {
  const closing = openBusinessDays(ledger, { now: () => START + DAYS * DAY_MS });
  const target = days[DAYS - 2]!;
  const bare = ledger.sqlite.prepare(
    `SELECT COUNT(*) AS n, SUM(t.amount) AS total FROM operations o
     LEFT JOIN transfers t ON t.operation_seq = o.seq
     LEFT JOIN accounts d ON d.id = t.debit_account_id LEFT JOIN accounts c ON c.id = t.credit_account_id
     WHERE o.business_day = ?`,
  );
  const cold = timeEach(3, () => closing.zReport(DEMO.storeId, target));
  emit({ metric: 'z_report_from_journal_ms', value: median(cold), unit: 'ms' });
  // Every earlier day closed, as a store that closes nightly has it: stored with the journal's closing and
  // the day's figures for the analytics.
  progress('close: closing 363 earlier days');
  closeDaysBefore(ledger, target);
  const warm = timeEach(20, () => closing.zReport(DEMO.storeId, target));
  const baseline = timeEach(20, () => bare.get(target));
  const report = closing.zReport(DEMO.storeId, target);
  if (!report.balanced) throw new Error(`the fixture does not balance: ${JSON.stringify(report.liability)}`);
  progress(`close: ${report.store.operationCount} operations on ${target}`);
  emit({
    metric: 'z_report_ms',
    value: median(warm),
    unit: 'ms',
    baseline: median(baseline),
    ratio: median(warm) / median(baseline),
    goal: '< 100',
  });
  const start = process.hrtime.bigint();
  closing.closeDay({ storeId: DEMO.storeId, businessDay: target, managerId: DEMO.staff.manager.id });
  emit({ metric: 'day_close_ms', value: since(start), unit: 'ms' });
}

/**
 * Closes every day before `target` the quick way (the stored report is a stub): each with the journal's
 * closing liability and the day's figures for the analytics, as a store that closes nightly has them.
 */
export function closeDaysBefore(ledger: Ledger, target: string): void {
  const insert = ledger.sqlite.prepare(
    `INSERT INTO day_closes (store_id, business_day, closed_at, closed_by, report, principal_closing_fen, bonus_closing_fen)
     VALUES (?, ?, ?, ?, '{}', ?, ?)`,
  );
  const daily = ledger.sqlite
    .prepare(
      `SELECT o.business_day AS day,
              SUM(CASE WHEN a.kind = 'card_principal' THEN CASE WHEN a.id = t.credit_account_id THEN t.amount ELSE -t.amount END ELSE 0 END) AS principal,
              SUM(CASE WHEN a.kind = 'card_bonus' THEN CASE WHEN a.id = t.credit_account_id THEN t.amount ELSE -t.amount END ELSE 0 END) AS bonus
       FROM operations o JOIN transfers t ON t.operation_seq = o.seq
       JOIN accounts a ON a.id = t.credit_account_id OR a.id = t.debit_account_id
       WHERE a.card_id IS NOT NULL
       GROUP BY o.business_day ORDER BY o.business_day`,
    )
    .all() as Array<{ day: string; principal: number; bonus: number }>;
  const stats = analytics(ledger);
  ledger.sqlite.transaction(() => {
    let principal = 0;
    let bonus = 0;
    for (const row of daily) {
      principal += row.principal;
      bonus += row.bonus;
      if (row.day >= target) break;
      insert.run(DEMO.storeId, row.day, START, DEMO.staff.manager.id, principal, bonus);
      stats.recordClosedDay(DEMO.storeId, row.day);
    }
  })();
}

/**
 * reports_first_chart_ms: in Chromium against browser mode, with the year in the book (every day but the last
 * closed, the clock on the last day), a manager taps 经营报表 and the time runs until the first chart is drawn
 * (its default range is this month: 31 days of trends; segments over the year). The baseline is the day close
 * screen on the same book, tapped to its Z report shown: a manager's screen without charts. The first opening,
 * which fetches the charts' chunk, is reported on its own. Both are timed in the page; the member sections' read
 * on the host is reported beside them (reports_members_read_ms).
 */
export async function reportsFirstChart(emit: Emit): Promise<void> {
  const { chromiumAvailable, launchChromium } = await import('../support/chromium');
  if (!chromiumAvailable()) {
    progress('close: no Chromium here, reports_first_chart_ms skipped');
    return;
  }
  const { startTerminal } = await import('../e2e/host-fixture');
  const { submitLogin, tab } = await import('../e2e/terminal-page');
  const lastDay = START + (DAYS - 1) * DAY_MS;
  const terminal = await startTerminal({ trainingMode: true, now: () => lastDay + 2 * 3_600_000 });
  const browser = await launchChromium();
  try {
    progress('close: building a year in a terminal for the reports screen');
    const days = buildYear(terminal.host.ledger);
    closeDaysBefore(terminal.host.ledger, days[DAYS - 1]!);
    const reports = analytics(terminal.host.ledger);
    const at = lastDay + 2 * 3_600_000;
    const figuresMs = median(timeEach(3, () => reports.figuresPage({ storeId: DEMO.storeId, at })));
    const membersMs = median(timeEach(3, () => reports.membersPage({ storeId: DEMO.storeId, at })));
    progress(
      `close: the reports' figures read in ${figuresMs.toFixed(0)} ms, the member sections in ${membersMs.toFixed(0)} ms`,
    );
    // A whole year's figures (closed days from their stored day figures and hour counts).
    const yearMs = median(
      timeEach(3, () =>
        reports.figuresPage({ storeId: DEMO.storeId, at, fromDay: days[0]!, toDay: days[DAYS - 1]! }),
      ),
    );
    emit({ metric: 'reports_figures_read_ms', value: figuresMs, unit: 'ms' });
    emit({ metric: 'reports_year_figures_read_ms', value: yearMs, unit: 'ms' });
    emit({ metric: 'reports_members_read_ms', value: membersMs, unit: 'ms' });
    const page = await browser.context.newPage();
    await page.goto(terminal.server.url);
    await submitLogin(page, DEMO.staff.manager.code, DEMO.staff.manager.pin);
    await tab(page, '经营报表').waitFor();
    // Timed in the page, from the tap to the element on screen, as the manager sees it. The host runs in this
    // process, so a clock here would also count the host's own work after the chart is drawn (the member
    // sections' year) before this process could hear the page; in a store the host is a process of its own.
    const open = async (screen: string, drawn: string) => {
      const button = await tab(page, screen).elementHandle();
      if (button === null) throw new Error(`no ${screen} tab`);
      return page.evaluate(
        ([button, selector]) =>
          new Promise<number>((resolve) => {
            const start = performance.now();
            const observer = new MutationObserver(() => {
              if (document.querySelector(selector) === null) return;
              observer.disconnect();
              resolve(performance.now() - start);
            });
            observer.observe(document.body, { subtree: true, childList: true, attributes: true });
            (button as HTMLElement).click();
          }),
        [button, drawn] as const,
      );
    };
    // A chart's image once drawn; the Z report's panel (only the day close screen has either).
    const chart = '[role="img"][data-drawn="true"]';
    const zShown = '.z-report';
    // The member sections (a year of segments) arrive after the first chart; each sample waits for them, so
    // the host is idle when the next screen is opened.
    const settled = async () => {
      await page.getByRole('region', { name: '流失预警名单', exact: true }).waitFor({ timeout: 300_000 });
      const refused = await page.getByRole('alert').count();
      if (refused > 0)
        progress(`close: the reports screen shows ${await page.getByRole('alert').first().textContent()}`);
    };
    const cold = await open('经营报表', chart);
    await settled();
    const samples: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      baseline.push(await open('日结', zShown));
      samples.push(await open('经营报表', chart));
      await settled();
    }
    emit({ metric: 'reports_first_chart_cold_ms', value: cold, unit: 'ms' });
    emit({
      metric: 'reports_first_chart_ms',
      value: median(samples),
      unit: 'ms',
      baseline: median(baseline),
      ratio: median(samples) / median(baseline),
      goal: '< 1000',
    });
  } finally {
    await browser.close();
    await terminal.stop();
  }
}

function analyticsSamples(ledger: Ledger): number[] {
  const reports = analytics(ledger);
  const now = START + DAYS * DAY_MS;
  return timeEach(3, () => reports.page({ storeId: DEMO.storeId, at: now }));
}

interface ExportRun {
  rows: number;
  ms: number;
  peakMb: number;
  fileMb: number;
}

/**
 * Each export runs in a process of its own, so its peak RSS is measured from that process's own baseline
 * (RSS never shrinks, so a second export in the same process would read as free).
 */
async function exports(emit: Emit, ledger: Ledger, dir: string, days: string[]): Promise<void> {
  ledger.checkpoint();
  let peak = 0;
  for (const format of ['csv', 'xlsx'] as const) {
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        format,
        ledger.sqlite.name,
        dir,
        days[0]!,
        days[DAYS - 1]!,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 },
    );
    if (child.status !== 0)
      throw new Error(`the ${format} export process failed (${child.status ?? child.signal})`);
    const run = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ExportRun;
    progress(`close: ${format} ${run.rows} rows, ${run.fileMb.toFixed(1)} MB file`);
    peak = Math.max(peak, run.peakMb);
    emit({ metric: `export_${format}_ms`, value: run.ms, unit: 'ms' });
    emit({ metric: `export_${format}_peak_mb`, value: run.peakMb, unit: 'MB' });
  }
  emit({ metric: 'export_peak_mb', value: peak, unit: 'MB', goal: '< 200' });
}

/** The export process: opens the book, brings its pages in, then exports and reports on stdout. */
async function exportProcess(format: string, path: string, dir: string, fromDay: string, toDay: string) {
  const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
  // The book is read through a memory map: scan it once so its pages are resident before the baseline.
  ledger.sqlite
    .prepare('SELECT COUNT(*), SUM(amount_fen), MAX(memo), MAX(id), MAX(card_id) FROM operations')
    .get();
  global.gc?.();
  const before = process.memoryUsage().rss;
  let high = before;
  const sample = () => {
    high = Math.max(high, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 20);
  const out = join(dir, `operations.${format}`);
  const start = process.hrtime.bigint();
  let last = 0;
  const onProgress = ({ rows, total }: { rows: number; total: number }) => {
    sample();
    if (rows - last >= 250_000 || rows === total) {
      progress(`close: ${format} ${rows}/${total}`);
      last = rows;
    }
  };
  const range = { storeId: DEMO.storeId, fromDay, toDay, path: out, onProgress };
  const result =
    format === 'csv' ? await exportOperationsCsv(ledger, range) : await exportOperationsXlsx(ledger, range);
  const ms = since(start);
  clearInterval(sampler);
  sample();
  const run: ExportRun = {
    rows: result.rows,
    ms,
    peakMb: (high - before) / 1024 / 1024,
    fileMb: statSync(out).size / 1024 / 1024,
  };
  rmSync(out, { force: true });
  ledger.close();
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [format, path, dir, fromDay, toDay] = process.argv.slice(2);
  if (!format || !path || !dir || !fromDay || !toDay)
    throw new Error('usage: close.bench.ts csv|xlsx ledger dir fromDay toDay');
  await exportProcess(format, path, dir, fromDay, toDay);
}
