/**
 * HQ's console in Chromium, as a chain admin uses it: signs in (in Chinese by default), adds a store and a
 * terminal, and hands the terminal's one-time code to a till, which enrols with it and sends its book; adds a
 * second store whose till spends the same balance while it had not heard of the first till's charge, and
 * resolves the overdraft HQ flags; publishes a bonus rule that prices the till's next top-up; and exports the
 * settlement for the period as CSV and Excel, whose figures are the two tills' own Z reports, fen for fen.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type Ledger, openBusinessDays, openFeedSink, openLedger, type ZReport } from '../../db';
import { BOOK_MODE_SETTING } from '../../electron/host/book-mode';
import { HQ_SETTING } from '../../electron/host/devices/sync';
import { enrolTerminal, HqHttpClient, SyncWorker } from '../../sync';
import { AdminAudit, HqAccounts, type RunningHqServer, startHqServer } from '../../sync/hq';
import { type HqUnderTest, openHq, until } from '../integration/sync/fixtures';
import { apiCalls } from '../support/api-calls';
import {
  chromiumAvailable,
  downloadedFile,
  type LaunchedChromium,
  launchChromium,
} from '../support/chromium';
import { linkFromCode } from '../support/hq-enrolment';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';

const ADMIN = { username: 'zhang.admin', password: 'a long passphrase for hq' };
const EAST = { storeId: 'store-east', terminalId: 'till-east' };
const CARD = DEMO.cards.uid.id;
/** A whole chain starts here: HQ, a till with the demo book, a second store's till, and a browser. */
const CASE_MS = 180_000;

let hq: HqUnderTest;
let server: RunningHqServer;
let browser: LaunchedChromium;
let page: Page;
let terminal: RunningTerminal;
let east: Ledger;
let eastWorker: SyncWorker;
const pageErrors: string[] = [];
const api = apiCalls(() => terminal.host);

async function openTab(name: string): Promise<void> {
  await page.getByTestId(`tab-${name}`).click();
}

/** Creates a terminal on the console's form and reads its code off the screen, as a technician would. */
async function createTerminal(storeId: string, name: string, terminalId: string): Promise<string> {
  await page.getByTestId('terminal-store').selectOption(storeId);
  await page.getByTestId('terminal-name').fill(name);
  await page.getByTestId('terminal-id').fill(terminalId);
  await page.getByTestId('terminal-create').click();
  await expect.poll(() => page.getByTestId('enrolment-code-panel').textContent()).toContain(terminalId);
  expect(await page.getByTestId('enrolment-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  return (await page.getByTestId('enrolment-code').textContent())!.trim();
}

async function addStore(id: string, name: string): Promise<void> {
  await page.getByTestId('store-id').fill(id);
  await page.getByTestId('store-name').fill(name);
  await page.getByTestId('store-save').click();
  await expect.poll(() => page.getByTestId('stores').textContent()).toContain(name);
}

/** The east till's own book: a store of the chain with one cashier, as its setup would leave it. */
function openEastBook(): Ledger {
  const ledger = openLedger({ path: ':memory:', checkpointIntervalMs: 0 });
  ledger.createStore({
    id: EAST.storeId,
    name: '东区店',
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 5_000_000,
  });
  ledger.createTerminal({ id: EAST.terminalId, storeId: EAST.storeId, name: '东区前台' });
  ledger.createStaff({
    id: 'east-1001',
    storeId: EAST.storeId,
    code: '1001',
    name: '东区收银',
    role: 'cashier',
    pin: '123456',
  });
  return ledger;
}

function businessDays(ledger: Ledger): string[] {
  return ledger.sqlite
    .prepare<[], { day: string }>('SELECT DISTINCT business_day AS day FROM operations ORDER BY 1')
    .all()
    .map((row) => row.day);
}

/** A store's Z-report lines for top-ups and charges, summed over the days of the period. */
function zTotals(ledger: Ledger, storeId: string, days: string[]) {
  const closing = openBusinessDays(ledger);
  const totals = new Map<string, { count: number; principalFen: number; bonusFen: number }>();
  for (const day of days) {
    const report: ZReport = closing.zReport(storeId, day);
    for (const line of report.store.byKind) {
      if (line.line !== 'top_up' && line.line !== 'spend') continue;
      const sum = totals.get(line.line) ?? { count: 0, principalFen: 0, bonusFen: 0 };
      sum.count += line.count;
      sum.principalFen += line.principalFen;
      sum.bonusFen += line.bonusFen;
      totals.set(line.line, sum);
    }
  }
  return totals;
}

describe.runIf(chromiumAvailable())('the HQ console in Chromium', () => {
  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await startHqServer({ service: hq.service });
    // The operator made the first HQ user on the command line (`npm run hq -- user add`).
    await new HqAccounts(hq.database).addUser({ ...ADMIN, role: 'chain_admin', now: Date.now() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/console`);
  }, CASE_MS);

  afterAll(async () => {
    await eastWorker?.stop();
    east?.close();
    await browser?.close();
    await terminal?.stop();
    await server?.close();
    await hq?.close();
  });

  it('refuses a wrong password in words, then signs the chain admin in, in Chinese', async () => {
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill('not the passphrase');
    await page.getByTestId('login-submit').click();
    await expect
      .poll(() => page.locator('[data-code="LOGIN_FAILED"]').textContent())
      .toContain('用户名或密码错误');
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('user').textContent()).toBe(ADMIN.username);
    expect(await page.getByTestId('tab-terminals').textContent()).toBe('门店与终端');
    await page.getByTestId('toggle-language').click();
    expect(await page.getByTestId('tab-terminals').textContent()).toBe('Stores and terminals');
    await page.getByTestId('toggle-language').click();
  });

  it(
    'adds a store and a terminal whose code a till enrols with, and shows the till once it has synced',
    async () => {
      await addStore(DEMO.storeId, '演示咖啡馆');
      const code = await createTerminal(DEMO.storeId, '前台 1号机', DEMO.terminalId);
      const { link, secrets } = await linkFromCode(server.url, code);
      terminal = await startTerminal({
        trainingMode: false,
        secrets,
        settings: { [BOOK_MODE_SETTING]: 'live', [HQ_SETTING]: link },
      });
      await until(() => terminal.host.ledger.outbox.stats().waiting === 0, 60_000);
      await expect
        .poll(
          async () => {
            await openTab('chain');
            await openTab('terminals');
            return page.getByTestId(`terminal-state-${DEMO.terminalId}`).textContent();
          },
          { timeout: 30_000 },
        )
        .toBe('已注册');
      expect(await page.getByTestId('terminals').textContent()).toContain('前台 1号机');
      // The till says which version it runs with its pushes.
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      expect(await page.getByTestId(`terminal-version-${DEMO.terminalId}`).textContent()).toBe(version);

      // The code was spent: it cannot enrol a second till.
      await expect(enrolTerminal(server.url, code)).rejects.toMatchObject({ code: 'ENROLMENT_CODE_USED' });

      await addStore(EAST.storeId, '东区店');
      const eastCode = await createTerminal(EAST.storeId, '东区前台', EAST.terminalId);
      east = openEastBook();
      eastWorker = new SyncWorker({
        terminalId: EAST.terminalId,
        outbox: east.outbox,
        settings: east.settings,
        transport: new HqHttpClient(server.url, await enrolTerminal(server.url, eastCode)),
        sink: openFeedSink(east),
      });
      await eastWorker.pullOnce();
      expect(east.card(CARD)).toBeDefined();
    },
    CASE_MS,
  );

  it(
    "publishes a bonus rule that prices the till's next top-up",
    async () => {
      await openTab('rules');
      await page.getByTestId('rule-store').selectOption(DEMO.storeId);
      await page.getByTestId('rule-name').fill('充500送150');
      await page.getByTestId('rule-step-min-0').fill('500');
      await page.getByTestId('rule-step-bonus-0').fill('150');
      await page.getByTestId('rule-publish').click();
      await expect.poll(() => page.getByTestId('rules').textContent()).toContain('充500送150');
      expect(await page.getByTestId('rules').textContent()).toContain(ADMIN.username);

      const session = await api.login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
      // The till pulls HQ's feed on its own schedule; the rule prices top-ups once it has arrived.
      await expect
        .poll(
          async () =>
            (
              await api.ok<{ bonusFen: number }>(session, 'wallet.previewTopUp', {
                cardId: CARD,
                amountFen: 50_000,
              })
            ).bonusFen,
          { timeout: 90_000, interval: 1_000 },
        )
        .toBe(15_000);
      await openShift(terminal.host);
      const topUp = await api.ok<{ principalFen: number; bonusFen: number }>(session, 'wallet.topUp', {
        operationId: ulid(),
        cardId: CARD,
        amountFen: 50_000,
        tender: 'cash',
      });
      expect(topUp).toMatchObject({ principalFen: 50_000, bonusFen: 15_000 });
    },
    CASE_MS,
  );

  it(
    'resolves, with a note, the overdraft HQ flagged when two stores spent the same balance',
    async () => {
      await until(() => terminal.host.ledger.outbox.stats().waiting === 0, 60_000);
      // The east till learns the card's balance (top-up included), then loses touch while the home till charges.
      await eastWorker.pullOnce();
      expect(east.balance(CARD)).toMatchObject({ principalFen: 100_000, bonusFen: 25_000 });
      const session = await api.login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
      await api.ok(session, 'wallet.charge', { operationId: ulid(), cardId: CARD, amountFen: 70_000 });
      await until(() => terminal.host.ledger.outbox.stats().waiting === 0, 60_000);
      east.spend({
        operationId: ulid(),
        cardId: CARD,
        amountFen: 70_000,
        staffId: 'east-1001',
        terminalId: EAST.terminalId,
      });
      await eastWorker.drain({ maxAttempts: 3 });

      await openTab('flags');
      await expect
        .poll(() => page.getByTestId('overdrafts').textContent(), { timeout: 10_000 })
        .toContain(CARD);
      const row = page.getByTestId('overdrafts').locator('tbody tr').first();
      expect(await row.textContent()).toContain(EAST.storeId);
      expect(await row.textContent()).toContain('¥700.00');
      const id = await row.getAttribute('data-key');
      await page.getByTestId(`resolve-overdraft-${id}-note`).fill('已电话联系会员，东区店补收');
      await page.getByTestId(`resolve-overdraft-${id}`).click();
      await expect.poll(() => page.getByTestId('overdrafts').textContent()).not.toContain(CARD);
      await page.getByTestId('show-resolved').check();
      await expect
        .poll(() => page.getByTestId('overdrafts').textContent())
        .toContain('已电话联系会员，东区店补收');
      expect(await page.getByTestId('overdrafts').textContent()).toContain(ADMIN.username);

      const audited = await new AdminAudit(hq.database).list(50);
      expect(audited).toContainEqual(
        expect.objectContaining({
          actor: ADMIN.username,
          action: 'overdraft.resolve',
          target: id,
          outcome: 'done',
          details: expect.objectContaining({ note: '已电话联系会员，东区店补收' }),
        }),
      );
    },
    CASE_MS,
  );

  it(
    "exports a settlement for the period whose figures are the tills' own Z reports",
    async () => {
      const days = [...new Set([...businessDays(terminal.host.ledger), ...businessDays(east)])].sort();
      const from = days[0]!;
      const to = days[days.length - 1]!;
      await openTab('settlement');
      await page.getByTestId('period-from').fill(from);
      await page.getByTestId('period-to').fill(to);
      await page.getByTestId('period-show').click();
      await expect
        .poll(() => page.getByTestId('settlement-inter-store').textContent())
        .toContain(EAST.storeId);
      // East redeemed ¥700 of the demo store's card, all of it principal: the demo store owes it ¥700.
      expect(await page.getByTestId('settlement-inter-store').textContent()).toContain('¥700.00');

      const [csvDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv').click(),
      ]);
      expect(csvDownload.suggestedFilename()).toBe(`settlement_${from}_${to}.csv`);
      const csv = readFileSync(await downloadedFile(csvDownload), 'utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      const storeLines = csv.filter((line) => line.startsWith('store,')).map((line) => line.split(','));
      const [xlsxDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-xlsx').click(),
      ]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await downloadedFile(xlsxDownload));
      const sheetLines: string[][] = [];
      workbook.getWorksheet('stores')!.eachRow((row) => {
        const cells = (row.values as unknown[]).slice(1).map(String);
        if (cells[0] === 'store') sheetLines.push(cells);
      });
      expect(sheetLines).toEqual(storeLines);

      for (const [ledger, storeId] of [
        [terminal.host.ledger, DEMO.storeId],
        [east, EAST.storeId],
      ] as const) {
        const z = zTotals(ledger, storeId, days);
        for (const kind of ['top_up', 'spend']) {
          const line = storeLines.find((cells) => cells[1] === storeId && cells[2] === kind);
          const expected = z.get(kind)!;
          if (expected.count === 0) {
            expect(line).toBeUndefined();
            continue;
          }
          // A top-up adds to the card, a charge takes from it: the export signs them so, the Z report does not.
          const sign = kind === 'top_up' ? 1 : -1;
          expect(line, `${storeId} ${kind}`).toEqual([
            'store',
            storeId,
            kind,
            String(expected.count),
            String(sign * expected.principalFen),
            String(sign * expected.bonusFen),
          ]);
        }
      }
      const inter = csv.find((line) => line.startsWith(`inter_store,${DEMO.storeId},${EAST.storeId},`));
      expect(inter).toBe(`inter_store,${DEMO.storeId},${EAST.storeId},70000,0,0,0,70000`);
      const exported = await new AdminAudit(hq.database).list(10);
      expect(exported.filter((entry) => entry.action === 'settlement.export')).toHaveLength(2);
    },
    CASE_MS,
  );

  it(
    "rolls the chain's liability forward, checks a till's audit chain and freezes a card at HQ",
    async () => {
      const days = businessDays(terminal.host.ledger);
      await openTab('liability');
      await page.getByTestId('period-from').fill(days[0]!);
      await page.getByTestId('period-to').fill(days[days.length - 1]!);
      await page.getByTestId('period-show').click();
      const chainRow = page.getByTestId('liability').locator('tr[data-key="全连锁合计"]');
      await chainRow.waitFor();
      // Nothing moved after the period, so the closing is what the cards hold, and nothing is unexplained.
      expect(await chainRow.locator('td').last().textContent()).toBe('¥0.00');

      await until(async () => (await hq.service.auditOf(DEMO.terminalId, 0, 1)).lines.length > 0, 60_000);
      await openTab('audit');
      await page.getByTestId('audit-terminal').selectOption(DEMO.terminalId);
      await page.getByTestId('audit-show').click();
      await expect.poll(() => page.getByTestId('audit-check').textContent()).toMatch(/^哈希链完整：\d+ 行$/);

      await openTab('cards');
      await page.getByTestId('card-search').fill(DEMO.members.uid.name);
      await page.getByTestId('card-search-submit').click();
      await expect.poll(() => page.getByTestId(`card-state-${CARD}`).textContent()).toBe('正常');
      await page.getByTestId(`freeze-${CARD}`).click();
      await expect.poll(() => page.getByTestId(`card-state-${CARD}`).textContent()).toBe('冻结');
      expect(await hq.service.card(CARD)).toMatchObject({ state: 'frozen' });
      await page.getByTestId(`history-${CARD}`).click();
      await expect.poll(() => page.getByTestId('card-history').textContent()).toContain('卡状态变更');
    },
    CASE_MS,
  );

  it(
    'revokes a till, whose next push HQ refuses, gives it a new code, and signs out',
    async () => {
      await openTab('terminals');
      await page.getByTestId(`revoke-${EAST.terminalId}`).click();
      await page.getByTestId(`revoke-confirm-${EAST.terminalId}`).click();
      await expect
        .poll(() => page.getByTestId(`terminal-state-${EAST.terminalId}`).textContent())
        .toContain('已吊销');
      east.spend({
        operationId: ulid(),
        cardId: CARD,
        amountFen: 100,
        staffId: 'east-1001',
        terminalId: EAST.terminalId,
      });
      await expect(eastWorker.pushOnce()).rejects.toMatchObject({ code: 'TERMINAL_REVOKED' });

      await page.getByTestId(`new-code-${EAST.terminalId}`).click();
      await expect
        .poll(() => page.getByTestId('enrolment-code-panel').textContent())
        .toContain(EAST.terminalId);
      expect(await page.getByTestId('enrolment-code').textContent()).toMatch(
        /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/,
      );
      const audited = (await new AdminAudit(hq.database).list(5)).map((entry) => [
        entry.action,
        entry.target,
      ]);
      expect(audited.slice(0, 2)).toEqual([
        ['terminal.enrolment_code', EAST.terminalId],
        ['terminal.revoke', EAST.terminalId],
      ]);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('login').waitFor();
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );
});
