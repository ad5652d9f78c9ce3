/**
 * A shift and the day close in Debian's Chromium against browser mode: a cashier opens a shift with a counted
 * float, tops the simulator card up in cash, puts cash in, and closes with a blind count that comes out short;
 * a manager's PIN signs it off. The manager closes the day, reads the Z report, prints it on the virtual
 * printer and downloads it as CSV and the day's operations as XLSX.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { formatFen } from '../../renderer/src/money';
import {
  chromiumAvailable,
  downloadedFile,
  type LaunchedChromium,
  launchChromium,
} from '../support/chromium';
import { type RunningTerminal, startTerminal, storeNoonClock } from './host-fixture';
import { bodyRows, cellOf, drawnChart, rowOf } from './report-reading';
import {
  counterResult,
  factOf,
  tab,
  tapSimulatedCard,
  topUpConfirmation,
  typeAmount,
  waitingForCard,
} from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function logIn(staff: { code: string; pin: string; name: string }): Promise<void> {
  await page.getByLabel('工号', { exact: true }).waitFor();
  await page.keyboard.type(staff.code);
  await page.keyboard.press('Enter');
  await page.keyboard.type(staff.pin);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('banner').textContent()).toContain(staff.name);
}

/** Cash taken in by top-ups on a business day, by the ledger. */
function cashTopUpsOn(day: string): number {
  return terminal.host.ledger
    .operationsOf({ kinds: ['top_up'], limit: 1000 })
    .filter((op) => op.tender === 'cash' && op.businessDay === day)
    .reduce((total, op) => total + op.amountFen, 0);
}

let closedDay: string | undefined;

const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
/** A panel of a screen (a report on the reports screen), by its heading. */
const panel = (name: string) => page.getByRole('region', { name, exact: true });
/** The pieces of one note or coin in a cash count, by its face value (`¥100.00`). */
const pieces = (scope: Locator, face: string) => scope.getByLabel(face, { exact: true });
const countTotal = (scope: Locator) => scope.getByRole('status', { name: '合计' }).textContent();
/** The open day's X report or a closed day's Z report, named by its heading. */
const zReport = () => page.getByRole('region', { name: /^(营业中报表（X）|日结报表（Z）) · / });
const dayCloseScreen = () => page.getByRole('region', { name: '日结', exact: true });
describe.runIf(chromiumAvailable())('a shift and the day close in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true, now: storeNoonClock() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('a cashier opens a shift with a float counted by denomination', async () => {
    await logIn(DEMO.staff.cashier);
    await tab(page, '交接班').click();
    const open = panel('开班');
    await open.waitFor();
    await pieces(open, '¥100.00').fill('2');
    await pieces(open, '¥10.00').fill('5');
    expect(await countTotal(open)).toBe('¥250.00');
    await button(open, '开班').click();
    const current = panel('当前班次');
    await expect.poll(() => factOf(current, '备用金')).toBe('¥250.00');
    expect(await factOf(current, '收银员')).toBe(DEMO.staff.cashier.name);
  });

  it('tops the simulator card up ¥100 in cash and puts ¥50 of change into the drawer with a reason', async () => {
    await tab(page, '收银台').click();
    await tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);
    await typeAmount(page, '100', '¥100.00');
    await page.keyboard.press('+');
    await topUpConfirmation(page).waitFor();
    await page.keyboard.press('Enter');
    await counterResult(page, '充值成功').waitFor();
    await page.keyboard.press('Enter');
    await waitingForCard(page).waitFor();

    await tab(page, '交接班').click();
    const move = panel('放入或取出现金');
    await button(move, '放入现金').click();
    await move.getByLabel('金额', { exact: true }).fill('50');
    await move.getByLabel('原因', { exact: true }).fill('银行换零钱');
    await button(move, '登记').click();
    await expect
      .poll(() => panel('当前班次').getByRole('table', { name: '本班钱箱款项' }).textContent())
      .toContain('银行换零钱');
  });

  it('closes with a blind count: the expected figure appears only after the count, short by ¥5.00', async () => {
    // Before the count nothing on the screen says what the drawer should hold.
    expect(await page.getByRole('cell', { name: '应有现金', exact: true }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '交接班', exact: true }).textContent()).not.toContain(
      '¥400.00',
    );
    const count = panel('交班清点（盲点）');
    await pieces(count, '¥100.00').fill('3');
    await pieces(count, '¥50.00').fill('1');
    await pieces(count, '¥10.00').fill('4');
    await pieces(count, '¥5.00').fill('1');
    expect(await countTotal(count)).toBe('¥395.00');
    await button(count, '提交清点').click();
    const result = panel('清点结果');
    const figure = (name: string) =>
      rowOf(result.getByRole('table'), name).getByRole('cell').nth(1).textContent();
    await expect.poll(() => figure('应有现金')).toBe('¥400.00');
    expect(await figure('实点现金')).toBe('¥395.00');
    expect(await figure('差额')).toBe('-¥5.00');
    await page.screenshot({ path: `${SCREENSHOTS}/shift-count-zh-CN.png`, fullPage: true });
  });

  it("needs the variance's reason and a manager's PIN to sign the shift off", async () => {
    const signOff = panel('清点结果');
    await signOff.getByLabel('店长工号', { exact: true }).fill(DEMO.staff.manager.code);
    await signOff.getByLabel('店长密码', { exact: true }).fill(DEMO.staff.manager.pin);
    await button(signOff, '店长签核交班').click();
    await expect
      .poll(() => page.getByRole('alert').getAttribute('data-code'))
      .toBe('VARIANCE_REASON_REQUIRED');
    await signOff.getByLabel('差额原因', { exact: true }).fill('找零多找了五元');
    await signOff.getByLabel('店长密码', { exact: true }).fill(DEMO.staff.manager.pin);
    await button(signOff, '店长签核交班').click();
    const closed = panel('本班已签核');
    await closed.waitFor();
    expect(await factOf(closed, '差额')).toBe('-¥5.00');
    // The sign-off queued the shift slip; the signed-off shift is listed with a reprint button.
    await closed.getByRole('status').filter({ hasText: '交班单已送打印机。' }).waitFor();
    await button(closed, '完成').click();
    const recent = panel('最近交班');
    await recent.waitFor();
    const latest = bodyRows(recent.getByRole('table')).first();
    await button(latest, '补打交班单').click();
    await expect.poll(() => latest.getByRole('button').textContent()).toBe('已送打印机');
  });

  it('the manager closes the day and reads the Z report: tenders, the shift with its variance, a balanced roll-forward', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await logIn(DEMO.staff.manager);
    await tab(page, '日结').click();
    await zReport().waitFor();
    expect(await zReport().textContent()).toContain('营业中报表');
    await button(dayCloseScreen(), '日结').click();
    await page.getByRole('dialog', { name: '日结' }).getByRole('button', { name: '确定日结' }).click();
    await expect.poll(() => zReport().textContent()).toContain('日结报表（Z）');
    const shown = (await zReport().textContent()) ?? '';
    expect(shown).toContain('找零多找了五元');
    expect(shown).toContain('-¥5.00');
    // Cash in the store that day: the demo's opening top-ups and this shift's.
    const day = await page.getByRole('combobox', { name: '营业日' }).inputValue();
    closedDay = day;
    const cashIn = cashTopUpsOn(day);
    expect(cashIn).toBeGreaterThanOrEqual(10_000);
    const store = zReport().getByRole('region', { name: '全店', exact: true });
    expect(await rowOf(store.getByRole('table', { name: '按支付方式' }), '现金').textContent()).toContain(
      formatFen(cashIn),
    );
    const roll = zReport().getByRole('table', { name: /^储值余额结转/ });
    expect(await roll.getByText('与账簿一致', { exact: true }).count()).toBe(1);
    expect(await (await cellOf(roll, '差额', '本金')).textContent()).toBe('¥0.00');
    expect(await (await cellOf(roll, '差额', '赠送金')).textContent()).toBe('¥0.00');
    await page.screenshot({ path: `${SCREENSHOTS}/day-close-zh-CN.png`, fullPage: true });
  });

  it('prints the Z report on the receipt printer', async () => {
    await button(dayCloseScreen(), '补打日结单').click();
    await dayCloseScreen().getByRole('status').filter({ hasText: '已送打印机' }).waitFor();
    await tab(page, '收银台').click();
    // The simulated printer's paper, newest first, folded on the simulator panel.
    const printed = page.getByRole('complementary', { name: '模拟器' }).getByRole('group').first();
    await expect.poll(() => printed.textContent()).toContain('日结报表(Z)');
    const paper = (await printed.textContent()) ?? '';
    expect(paper).toContain('营业日');
    expect(paper).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(paper.replace(/[,，]/g, '')).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')).replace(/[¥,]/g, ''),
    );
  });

  it('exports the Z report as CSV and the day as XLSX, both downloaded and not empty', async () => {
    await tab(page, '日结').click();
    await zReport().waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      button(dayCloseScreen(), '导出日结 CSV').click(),
    ]);
    const csvPath = await downloadedFile(csv);
    expect(csv.suggestedFilename()).toMatch(/^z-report-.+\.csv$/);
    const csvText = readFileSync(csvPath, 'utf8');
    expect(csvText).toContain('business day');
    expect(csvText).toContain('top_up');

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      button(dayCloseScreen(), '导出当日流水 XLSX').click(),
    ]);
    const xlsxPath = await downloadedFile(xlsx);
    expect(xlsx.suggestedFilename()).toMatch(/^operations-.+\.xlsx$/);
    expect(statSync(xlsxPath).size).toBeGreaterThan(0);
    expect(readFileSync(xlsxPath).subarray(0, 2).toString('latin1')).toBe('PK');
    await dayCloseScreen().getByRole('status').filter({ hasText: '已下载' }).waitFor();
  });

  it("shows the reports with each chart's table, and exports one as CSV", async () => {
    await tab(page, '经营报表').click();
    const trends = panel('充值与消费趋势');
    await trends.waitFor();
    // The member sections follow the figures.
    await panel('流失预警名单').waitFor();
    for (const name of [
      '充值与消费趋势',
      '繁忙时段（星期 × 小时）',
      '会员等级分布',
      '会员分群',
      '流失预警名单',
      '消费排行',
      '各活动赠送成本',
    ]) {
      expect(await panel(name).count()).toBe(1);
    }
    // The day's top-ups in the trend table, and the busy-hours table a row for each of the 24 hours beside its chart.
    expect(await trends.getByRole('table', { name: '充值与消费趋势' }).textContent()).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')),
    );
    const busyHours = panel('繁忙时段（星期 × 小时）');
    expect(await bodyRows(busyHours.getByRole('table')).count()).toBe(24);
    await drawnChart(busyHours, '繁忙时段（星期 × 小时）').waitFor();
    await button(trends, '按月').click();
    const [file] = await Promise.all([page.waitForEvent('download'), button(trends, '导出 CSV').click()]);
    expect(file.suggestedFilename()).toMatch(/^trends-monthly-.+\.csv$/);
    expect(readFileSync(await downloadedFile(file), 'utf8')).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')).replace(/[¥,]/g, ''),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/reports-zh-CN.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
