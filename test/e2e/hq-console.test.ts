/**
 * HQ's console in Chromium, as a chain admin uses it: signs in (in Chinese by default), adds a store and a
 * terminal, and hands the terminal's one-time code to a till, which enrols with it and sends its book; adds a
 * second store whose till spends the same balance while it had not heard of the first till's charge, and
 * resolves the overdraft HQ flags; publishes a bonus rule that prices the till's next top-up; and exports the
 * settlement for the period as CSV and Excel, whose figures are the two tills' own Z reports, fen for fen.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type Ledger, openBusinessDays, openFeedSink, openLedger, type ZReport } from '../../db';
import { BOOK_MODE_SETTING } from '../../electron/host/book-mode';
import { HQ_SETTING } from '../../electron/host/devices/sync';
import { enrolTerminal, HqHttpClient, SyncWorker } from '../../sync';
import { AdminAudit, HqAccounts, type RunningHqServer, startHqServer } from '../../sync/hq';
import { overdraftsOf } from '../../sync/hq/console/queries';
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
import { bodyRows, cellText, rowOf } from './report-reading';

const ADMIN = { username: 'zhang.admin', password: 'a long passphrase for hq' };
const EAST = { storeId: 'store-east', terminalId: 'till-east' };
const CARD = DEMO.cards.uid.id;
const CARD_NUMBER = DEMO.cards.uid.cardNumber;
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

const button = (name: string, scope: Page | Locator = page) =>
  scope.getByRole('button', { name, exact: true });
/** A table of the console, by its name (the words of the heading above it). */
const table = (name: string) => page.getByRole('table', { name, exact: true });
const terminals = () => table('终端');

/** Opens a page of the console by its tab's Chinese name. */
async function openTab(name: string): Promise<void> {
  await button(name, page.getByRole('navigation', { name: '功能页' })).click();
}

/** The panel with a terminal's one-time code, named for the terminal. */
const codePanel = (terminalId: string) =>
  page.getByRole('region', { name: `终端 ${terminalId} 的一次性注册码` });

/** The code on the panel, in groups of five, as a person reads it off the screen. */
async function codeOn(panel: Locator): Promise<string> {
  return ((await panel.getByRole('definition').textContent()) ?? '').trim();
}

/** Creates a terminal on the console's form and reads its code off the screen, as a technician would. */
async function createTerminal(storeId: string, name: string, terminalId: string): Promise<string> {
  await page.getByRole('combobox', { name: '门店', exact: true }).selectOption(storeId);
  await page.getByRole('textbox', { name: '终端名称', exact: true }).fill(name);
  await page.getByRole('textbox', { name: '终端编号（可不填，自动编号）' }).fill(terminalId);
  await button('新建终端').click();
  const panel = codePanel(terminalId);
  await panel.waitFor();
  expect(await panel.getByRole('img', { name: '注册码二维码' }).getAttribute('src')).toMatch(
    /^data:image\/svg\+xml;base64,/,
  );
  return codeOn(panel);
}

async function addStore(id: string, name: string): Promise<void> {
  await page.getByRole('textbox', { name: '门店编号', exact: true }).fill(id);
  await page.getByRole('textbox', { name: '门店名称', exact: true }).fill(name);
  await button('保存门店').click();
  await expect.poll(() => cellText(table('门店'), id, '门店名称')).toBe(name);
}

/** Fills in the period of business days and shows it (the settlement and liability pages). */
async function showPeriod(from: string, to: string): Promise<void> {
  await page.getByLabel('从', { exact: true }).fill(from);
  await page.getByLabel('到', { exact: true }).fill(to);
  await button('查询').click();
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
    await page.getByLabel('用户名', { exact: true }).fill(ADMIN.username);
    await page.getByLabel('密码', { exact: true }).fill('not the passphrase');
    await button('登录').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    expect(await page.getByRole('alert').textContent()).toContain('(LOGIN_FAILED)');
    await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
    await button('登录').click();
    // The header names who is signed in; the first page is the stores and terminals, its tab in Chinese.
    await page.getByRole('banner').getByText(ADMIN.username, { exact: true }).waitFor();
    const current = (pages: string, tab: string) =>
      button(tab, page.getByRole('navigation', { name: pages })).getAttribute('aria-current');
    expect(await current('功能页', '门店与终端')).toBe('page');
    await button('English').click();
    expect(await current('Pages', 'Stores and terminals')).toBe('page');
    await button('中文').click();
    expect(await current('功能页', '门店与终端')).toBe('page');
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
            await openTab('卡密钥与限额');
            await openTab('门店与终端');
            return cellText(terminals(), DEMO.terminalId, '状态');
          },
          { timeout: 30_000 },
        )
        .toBe('已注册');
      expect(await cellText(terminals(), DEMO.terminalId, '终端名称')).toBe('前台 1号机');
      // The till says which version it runs with its pushes.
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      expect(await cellText(terminals(), DEMO.terminalId, '软件版本')).toBe(version);

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
      await openTab('充值规则与等级');
      await page.getByRole('combobox', { name: '适用门店' }).selectOption(DEMO.storeId);
      await page.getByRole('textbox', { name: '规则名称' }).fill('充500送150');
      await page.getByLabel('第 1 档：充值满（元）').fill('500');
      await page.getByLabel('第 1 档：赠送（元）').fill('150');
      await button('发布到门店').click();
      const rules = table('充值赠送规则');
      await expect.poll(() => cellText(rules, '充500送150', '适用门店')).toBe(DEMO.storeId);
      expect(await cellText(rules, '充500送150', '发布人')).toBe(ADMIN.username);

      // The till pulls HQ's feed every half minute; the manager need not wait and syncs now (立即同步 on the
      // Devices screen). Once the rule has arrived it prices top-ups.
      const manager = await api.login(DEMO.staff.manager.code, DEMO.staff.manager.pin);
      expect(await api.ok(manager, 'hq.syncNow', {})).toMatchObject({ reached: true });
      const session = await api.login(DEMO.staff.cashier.code, DEMO.staff.cashier.pin);
      const preview = await api.ok<{ bonusFen: number }>(session, 'wallet.previewTopUp', {
        cardId: CARD,
        amountFen: 50_000,
      });
      expect(preview.bonusFen).toBe(15_000);
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

      // HQ flagged the east store's charge, the one that took the card below zero.
      const flagged = (await overdraftsOf(hq.database, false)).filter((line) => line.cardId === CARD);
      expect(flagged.map((line) => line.storeId)).toEqual([EAST.storeId]);
      const id = String(flagged[0]!.id);

      await openTab('透支与同步错误');
      const overdrafts = table('透支标记');
      await expect.poll(() => cellText(overdrafts, CARD, '门店'), { timeout: 10_000 }).toBe(EAST.storeId);
      expect(await cellText(overdrafts, CARD, '消费')).toBe('¥700.00');
      const row = rowOf(overdrafts, CARD);
      await row.getByRole('textbox', { name: '处理说明' }).fill('已电话联系会员，东区店补收');
      await button('处理完毕', row).click();
      await expect.poll(() => row.count()).toBe(0);
      await page.getByLabel('显示已处理').check();
      await expect.poll(() => cellText(overdrafts, CARD, '处理说明')).toBe('已电话联系会员，东区店补收');
      expect(await cellText(overdrafts, CARD, '处理人')).toBe(ADMIN.username);

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
      await openTab('门店结算');
      await showPeriod(from, to);
      const interStore = table('门店间结算');
      await expect.poll(() => cellText(interStore, EAST.storeId, '发卡门店')).toBe(DEMO.storeId);
      // East redeemed ¥700 of the demo store's card, all of it principal: the demo store owes it ¥700.
      expect(await cellText(interStore, EAST.storeId, '代收消费本金')).toBe('¥700.00');
      expect(await cellText(interStore, EAST.storeId, '发卡门店应付')).toBe('¥700.00');

      const [csvDownload] = await Promise.all([page.waitForEvent('download'), button('导出 CSV').click()]);
      expect(csvDownload.suggestedFilename()).toBe(`settlement_${from}_${to}.csv`);
      const csv = readFileSync(await downloadedFile(csvDownload), 'utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      const storeLines = csv.filter((line) => line.startsWith('store,')).map((line) => line.split(','));
      const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), button('导出 Excel').click()]);
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
      await openTab('储值负债');
      await showPeriod(days[0]!, days[days.length - 1]!);
      // Nothing moved after the period, so the closing is what the cards hold, and nothing is unexplained.
      await expect.poll(() => cellText(table('储值负债（按发卡门店）'), '全连锁合计', '差额')).toBe('¥0.00');

      await until(async () => (await hq.service.auditOf(DEMO.terminalId, 0, 1)).lines.length > 0, 60_000);
      await openTab('审计');
      await page.getByRole('combobox', { name: '终端编号' }).selectOption(DEMO.terminalId);
      await button('校验哈希链').click();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^哈希链完整：\d+ 行$/);

      await openTab('会员与卡');
      const member = DEMO.members.uid.name;
      await page.getByRole('textbox', { name: '卡号、会员姓名或手机号' }).fill(member);
      await button('搜索').click();
      const cards = table('找到的卡');
      await expect.poll(() => bodyRows(cards).count()).toBe(1);
      expect(await cellText(cards, member, '卡号')).toBe(CARD_NUMBER);
      expect(await cellText(cards, member, '状态')).toBe('正常');
      await button('冻结', rowOf(cards, member)).click();
      await expect.poll(() => cellText(cards, member, '状态')).toBe('冻结');
      expect(await hq.service.card(CARD)).toMatchObject({ state: 'frozen' });
      await button('流水', rowOf(cards, member)).click();
      await expect.poll(() => table(`流水 · ${CARD}`).textContent()).toContain('卡状态变更');
    },
    CASE_MS,
  );

  it(
    'revokes a till, whose next push HQ refuses, gives it a new code, and signs out',
    async () => {
      await openTab('门店与终端');
      const eastRow = rowOf(terminals(), EAST.terminalId);
      await button('吊销', eastRow).click();
      // Revoking asks first, in words, then the same button revokes.
      await eastRow.getByText('确定吊销这台终端？').waitFor();
      await button('吊销', eastRow).click();
      await expect.poll(() => cellText(terminals(), EAST.terminalId, '状态')).toContain('已吊销');
      east.spend({
        operationId: ulid(),
        cardId: CARD,
        amountFen: 100,
        staffId: 'east-1001',
        terminalId: EAST.terminalId,
      });
      await expect(eastWorker.pushOnce()).rejects.toMatchObject({ code: 'TERMINAL_REVOKED' });

      await button('新注册码', eastRow).click();
      const panel = codePanel(EAST.terminalId);
      await panel.waitFor();
      expect(await codeOn(panel)).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
      const audited = (await new AdminAudit(hq.database).list(5)).map((entry) => [
        entry.action,
        entry.target,
      ]);
      expect(audited.slice(0, 2)).toEqual([
        ['terminal.enrolment_code', EAST.terminalId],
        ['terminal.revoke', EAST.terminalId],
      ]);

      await button('退出登录').click();
      await page.getByRole('form', { name: '总部控制台' }).waitFor();
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );
});
