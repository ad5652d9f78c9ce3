/**
 * Counter benchmarks:
 * - host_start_ms: composing the host (ledger open with its start-up invariant check, device hub, simulator,
 *   API) and listening in browser mode, on a ledger of 1,000,000 operations; baseline: opening the ledger alone.
 * - tap_to_paint_ms: a simulated card presented at the host → the member panel of that card in Chromium's DOM,
 *   over 100 presentations alternating two cards; baseline: one empty Playwright round trip (the probe's cost).
 * - keypress_to_paint_ms: a key on the keyboard or a tap on the keypad → the amount painted, timed inside the page
 *   from the event's timestamp to the first animation frame after the amount changed (goal: one frame, 16 ms);
 *   100 of each, typing a digit and taking it back.
 * - bundle_gzip_kb: the built renderer's JavaScript and CSS, gzipped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO, type Ledger, openLedger } from '../../db/index';
import { createHost } from '../../electron/host/compose';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { startWebServer } from '../../electron/transports/web-server';
import { type Emit, median, progress, quantile, since } from './harness';

const MILLION = 1_000_000;
const STARTS = 5;
const PRESENTATIONS = 100;

export default async function counterBench(emit: Emit): Promise<void> {
  // Built afresh, so the figure is the production bundle of the sources as they are now.
  const staticDir = await ensureRendererBuilt(progress, { force: true });
  bundleSize(emit, staticDir);
  await tapToPaint(emit);
  await hostStart(emit, staticDir);
}

function bundleSize(emit: Emit, staticDir: string): void {
  const assets = join(staticDir, 'assets');
  let raw = 0;
  let gzipped = 0;
  for (const name of readdirSync(assets).filter((file) => /\.(js|css)$/.test(file))) {
    const bytes = readFileSync(join(assets, name));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  progress(`counter: renderer ${(raw / 1024).toFixed(1)} KB raw`);
  emit({ metric: 'bundle_gzip_kb', value: gzipped / 1024, unit: 'KB', goal: '< 300' });
}

/**
 * 1,000,000 operations on 20,000 cards (a top-up then a spend, card after card), written with bulk
 * INSERT … SELECT in one transaction: the same fixture shape as the ledger bench.
 */
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

async function hostStart(emit: Emit, staticDir: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counter-bench-'));
  try {
    // A first start seeds the demo store and records the terminal's identity, as on a real first run.
    await createHost({ book: 'demo', dataDir }).close();
    const ledger = openLedger({ path: join(dataDir, 'ledger.sqlite'), checkpointIntervalMs: 0 });
    progress('counter: building 1,000,000 operations');
    const built = process.hrtime.bigint();
    buildMillionOperations(ledger);
    ledger.checkpoint();
    ledger.close();
    progress(`counter: fixture built in ${(since(built) / 1000).toFixed(1)} s`);

    const hostSamples: number[] = [];
    const ledgerSamples: number[] = [];
    const openLedgerAlone = () => {
      const start = process.hrtime.bigint();
      openLedger({ path: join(dataDir, 'ledger.sqlite'), checkpointIntervalMs: 0 }).close();
      ledgerSamples.push(since(start));
    };
    const startHost = async () => {
      const start = process.hrtime.bigint();
      const host = createHost({ book: 'demo', dataDir });
      const server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
      hostSamples.push(since(start));
      await server.close();
      await host.close();
    };
    // Alternating which goes first keeps the page cache from favouring either side.
    for (let round = 0; round < STARTS * 2; round += 1) {
      if (round % 2 === 0) {
        openLedgerAlone();
        await startHost();
      } else {
        await startHost();
        openLedgerAlone();
      }
    }
    const baseline = median(ledgerSamples);
    const value = median(hostSamples);
    emit({ metric: 'host_start_ms', value, unit: 'ms', baseline, ratio: value / baseline, goal: '< 1000' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function tapToPaint(emit: Emit): Promise<void> {
  const { chromiumAvailable, launchChromium } = await import('../support/chromium');
  if (!chromiumAvailable()) {
    progress('counter: no Chromium here, tap_to_paint skipped');
    return;
  }
  const { startTerminal } = await import('../e2e/host-fixture');
  const { memberPanel, submitLogin, waitingForCard } = await import('../e2e/terminal-page');
  const terminal = await startTerminal({ trainingMode: true });
  const browser = await launchChromium();
  try {
    const { ledger } = terminal.host;
    const second = { id: 'card-bench-second', uid: '04B0B1B2B3B4B5', name: '周婷' };
    seedSecondCard(ledger, second);
    const cards = [
      { uid: DEMO.cards.uid.uid, name: DEMO.members.uid.name },
      { uid: second.uid, name: second.name },
    ];
    const page = await browser.context.newPage();
    await page.goto(terminal.server.url);
    await submitLogin(page, DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
    await waitingForCard(page).waitFor();

    // The two cards belong to two members, so the panel named by the member's name is that card's panel.
    const painted = (name: string) => memberPanel(page, name).waitFor();
    // Warm-up: the first lookups compile the page's code paths and fill the ledger's statement cache.
    for (let i = 0; i < 10; i += 1) {
      const card = cards[i % 2]!;
      terminal.host.simulator!.presentCard(card.uid);
      await painted(card.name);
    }
    const samples: number[] = [];
    for (let i = 0; i < PRESENTATIONS; i += 1) {
      const card = cards[i % 2]!;
      const start = process.hrtime.bigint();
      terminal.host.simulator!.presentCard(card.uid);
      await painted(card.name);
      samples.push(since(start));
    }
    const probe: number[] = [];
    for (let i = 0; i < PRESENTATIONS; i += 1) {
      const start = process.hrtime.bigint();
      await page.evaluate(() => 1);
      probe.push(since(start));
    }
    await keypressToPaint(emit, page);
    const baseline = median(probe);
    const p95 = quantile(samples, 0.95);
    const mid = median(samples);
    emit({ metric: 'tap_to_paint_median_ms', value: mid, unit: 'ms', baseline, ratio: mid / baseline });
    emit({
      metric: 'tap_to_paint_p95_ms',
      value: p95,
      unit: 'ms',
      baseline,
      ratio: p95 / baseline,
      goal: '< 100',
    });
  } finally {
    await browser.close();
    await terminal.stop();
  }
}

/** Times keys and keypad taps to the painted amount inside the page; the member panel must be showing. */
export async function keypressToPaint(emit: Emit, page: import('playwright-core').Page): Promise<void> {
  const { amountShown } = await import('../e2e/terminal-page');
  const amount = await amountShown(page).elementHandle();
  await page.evaluate((amount) => {
    const state = { start: 0, samples: [] as number[] };
    (window as unknown as { __keyPaint: typeof state }).__keyPaint = state;
    // No named functions in here: the bundler's name helper does not exist inside the page.
    for (const type of ['keydown', 'pointerdown']) {
      window.addEventListener(
        type,
        (event) => {
          state.start = event.timeStamp;
        },
        { capture: true },
      );
    }
    new MutationObserver(() => {
      const start = state.start;
      requestAnimationFrame(() => state.samples.push(performance.now() - start));
    }).observe(amount, { childList: true, subtree: true, characterData: true });
  }, amount);
  const count = () =>
    page.evaluate(
      () => (window as unknown as { __keyPaint: { samples: number[] } }).__keyPaint.samples.length,
    );
  const grown = (before: number) =>
    page.waitForFunction(
      (n) => (window as unknown as { __keyPaint: { samples: number[] } }).__keyPaint.samples.length > n,
      before,
      {
        polling: 'raf',
      },
    );
  const keys = page.getByRole('group', { name: '数字键盘', exact: true });
  const key = keys.getByRole('button', { name: '7', exact: true });
  const erase = keys.getByRole('button', { name: '⌫' });
  for (let i = 0; i < PRESENTATIONS; i += 1) {
    let before = await count();
    await page.keyboard.press('7');
    await grown(before);
    before = await count();
    await page.keyboard.press('Backspace');
    await grown(before);
  }
  const keyboard = await page.evaluate(
    () =>
      (window as unknown as { __keyPaint: { samples: number[] } }).__keyPaint.samples.splice(0) as number[],
  );
  for (let i = 0; i < PRESENTATIONS; i += 1) {
    let before = await count();
    await key.click();
    await grown(before);
    before = await count();
    await erase.click();
    await grown(before);
  }
  const keypad = await page.evaluate(
    () =>
      (window as unknown as { __keyPaint: { samples: number[] } }).__keyPaint.samples.splice(0) as number[],
  );
  const all = [...keyboard, ...keypad];
  emit({ metric: 'keypress_to_paint_median_ms', value: median(all), unit: 'ms' });
  emit({ metric: 'keypress_to_paint_p95_ms', value: quantile(all, 0.95), unit: 'ms', goal: '< 16' });
}

function seedSecondCard(ledger: Ledger, card: { id: string; uid: string; name: string }): void {
  ledger.createMember({
    id: 'member-bench-second',
    storeId: DEMO.storeId,
    name: card.name,
    phone: '13900000009',
  });
  ledger.issueCard({
    id: card.id,
    memberId: 'member-bench-second',
    cardNumber: '8800000000000099',
    uid: card.uid,
    medium: 'uid',
  });
}
