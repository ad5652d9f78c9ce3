/**
 * A shift and the day close in Debian's Chromium against browser mode: a cashier opens a shift with a counted
 * float, tops the simulator card up in cash, puts cash in, and closes with a blind count that comes out short;
 * a manager's PIN signs it off. The manager closes the day, reads the Z report, prints it on the virtual
 * printer and downloads it as CSV and the day's operations as XLSX.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
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

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function logIn(staff: { code: string; pin: string; name: string }): Promise<void> {
  await page.getByTestId('login-staff').waitFor();
  await page.keyboard.type(staff.code);
  await page.keyboard.press('Enter');
  await page.keyboard.type(staff.pin);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('staff-name').textContent()).toContain(staff.name);
}

/** Cash taken in by top-ups on a business day, by the ledger. */
function cashTopUpsOn(day: string): number {
  return terminal.host.ledger
    .operationsOf({ kinds: ['top_up'], limit: 1000 })
    .filter((op) => op.tender === 'cash' && op.businessDay === day)
    .reduce((total, op) => total + op.amountFen, 0);
}

let closedDay: string | undefined;

async function fill(testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value);
}

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
    await page.getByTestId('nav-shift').click();
    await page.getByTestId('shift-open').waitFor();
    await fill('float-10000', '2');
    await fill('float-1000', '5');
    expect(await page.getByTestId('float-total').textContent()).toBe('¥250.00');
    await page.getByTestId('shift-open-submit').click();
    await expect.poll(() => page.getByTestId('shift-float').textContent()).toBe('¥250.00');
    expect(await page.getByTestId('shift-cashier').textContent()).toBe(DEMO.staff.cashier.name);
  });

  it('tops the simulator card up ¥100 in cash and puts ¥50 of change into the drawer with a reason', async () => {
    await page.getByTestId('nav-counter').click();
    await page.getByTestId(`sim-present-${card.cardNumber}`).click();
    await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.uid.name);
    await page.keyboard.type('100');
    await expect.poll(() => page.getByTestId('amount').textContent()).toContain('¥100.00');
    await page.keyboard.press('+');
    await page.getByTestId('bonus-preview').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();

    await page.getByTestId('nav-shift').click();
    await page.getByTestId('move-in').click();
    await fill('move-amount', '50');
    await fill('move-reason', '银行换零钱');
    await page.getByTestId('move-submit').click();
    await expect.poll(() => page.getByTestId('shift-movements').textContent()).toContain('银行换零钱');
  });

  it('closes with a blind count: the expected figure appears only after the count, short by ¥5.00', async () => {
    // Before the count nothing on the screen says what the drawer should hold.
    expect(await page.getByTestId('shift-expected').count()).toBe(0);
    expect(await page.getByTestId('shift-screen').textContent()).not.toContain('¥400.00');
    await fill('closing-10000', '3');
    await fill('closing-5000', '1');
    await fill('closing-1000', '4');
    await fill('closing-500', '1');
    expect(await page.getByTestId('closing-total').textContent()).toBe('¥395.00');
    await page.getByTestId('shift-count-submit').click();
    await expect.poll(() => page.getByTestId('shift-expected').textContent()).toBe('¥400.00');
    expect(await page.getByTestId('shift-counted').textContent()).toBe('¥395.00');
    expect(await page.getByTestId('shift-variance').textContent()).toBe('-¥5.00');
    await page.screenshot({ path: `${SCREENSHOTS}/shift-count-zh-CN.png`, fullPage: true });
  });

  it("needs the variance's reason and a manager's PIN to sign the shift off", async () => {
    await fill('manager-no', DEMO.staff.manager.code);
    await fill('manager-pin', DEMO.staff.manager.pin);
    await page.getByTestId('sign-off-submit').click();
    await expect
      .poll(() => page.getByRole('alert').getAttribute('data-code'))
      .toBe('VARIANCE_REASON_REQUIRED');
    await fill('variance-reason', '找零多找了五元');
    await fill('manager-pin', DEMO.staff.manager.pin);
    await page.getByTestId('sign-off-submit').click();
    await page.getByTestId('shift-closed').waitFor();
    expect(await page.getByTestId('shift-closed').textContent()).toContain('-¥5.00');
    // The sign-off queued the shift slip; the signed-off shift is listed with a reprint button.
    await page.getByTestId('shift-slip-printing').waitFor();
    await page.getByTestId('shift-closed-done').click();
    await page.getByTestId('shift-recent').waitFor();
    await page.getByTestId('shift-reprint').first().click();
    await expect.poll(() => page.getByTestId('shift-reprint').first().textContent()).toBe('已送打印机');
  });

  it('the manager closes the day and reads the Z report: tenders, the shift with its variance, a balanced roll-forward', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await logIn(DEMO.staff.manager);
    await page.getByTestId('nav-day-close').click();
    await page.getByTestId('z-report').waitFor();
    expect(await page.getByTestId('z-report').textContent()).toContain('营业中报表');
    await page.getByTestId('day-close').click();
    await page.getByRole('dialog', { name: '日结' }).getByRole('button', { name: '确定日结' }).click();
    await expect.poll(() => page.getByTestId('z-report').textContent()).toContain('日结报表（Z）');
    const report = (await page.getByTestId('z-report').textContent()) ?? '';
    expect(report).toContain('找零多找了五元');
    expect(report).toContain('-¥5.00');
    // Cash in the store that day: the demo's opening top-ups and this shift's.
    const day = await page.getByTestId('day-pick').inputValue();
    closedDay = day;
    const cashIn = cashTopUpsOn(day);
    expect(cashIn).toBeGreaterThanOrEqual(10_000);
    expect(await page.getByTestId('z-store-tender-cash').textContent()).toContain(formatFen(cashIn));
    expect(await page.getByTestId('z-balanced').textContent()).toBe('与账簿一致');
    expect(await page.getByTestId('roll-principal-differenceFen').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('roll-bonus-differenceFen').textContent()).toBe('¥0.00');
    await page.screenshot({ path: `${SCREENSHOTS}/day-close-zh-CN.png`, fullPage: true });
  });

  it('prints the Z report on the receipt printer', async () => {
    await page.getByTestId('day-print').click();
    await page.getByTestId('day-printed').waitFor();
    await page.getByTestId('nav-counter').click();
    await expect
      .poll(() => page.getByTestId('printed-receipt').first().textContent())
      .toContain('日结报表(Z)');
    const paper = (await page.getByTestId('printed-receipt').first().textContent()) ?? '';
    expect(paper).toContain('营业日');
    expect(paper).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(paper.replace(/[,，]/g, '')).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')).replace(/[¥,]/g, ''),
    );
  });

  it('exports the Z report as CSV and the day as XLSX, both downloaded and not empty', async () => {
    await page.getByTestId('nav-day-close').click();
    await page.getByTestId('z-report').waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-z_report-csv').click(),
    ]);
    const csvPath = await downloadedFile(csv);
    expect(csv.suggestedFilename()).toMatch(/^z-report-.+\.csv$/);
    const csvText = readFileSync(csvPath, 'utf8');
    expect(csvText).toContain('business day');
    expect(csvText).toContain('top_up');

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-operations-xlsx').click(),
    ]);
    const xlsxPath = await downloadedFile(xlsx);
    expect(xlsx.suggestedFilename()).toMatch(/^operations-.+\.xlsx$/);
    expect(statSync(xlsxPath).size).toBeGreaterThan(0);
    expect(readFileSync(xlsxPath).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByTestId('export-done').waitFor();
  });

  it("shows the reports with each chart's table, and exports one as CSV", async () => {
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-trends').waitFor();
    // The member sections follow the figures.
    await page.getByTestId('report-churn').waitFor();
    for (const id of ['trends', 'heatmap', 'tiers', 'segments', 'churn', 'top', 'bonus']) {
      expect(await page.getByTestId(`report-${id}`).count()).toBe(1);
    }
    // The day's top-ups in the trend table, and the busy-hours table a row for each of the 24 hours beside its chart.
    expect(await page.getByTestId('report-trends').locator('table').textContent()).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')),
    );
    expect(await page.getByTestId('report-heatmap-row').count()).toBe(24);
    await page.locator('[data-testid="chart-heatmap"][data-drawn="true"]').waitFor();
    await page.getByTestId('trend-monthly').click();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-trends-export').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^trends-monthly-.+\.csv$/);
    expect(readFileSync(await downloadedFile(file), 'utf8')).toContain(
      formatFen(cashTopUpsOn(closedDay ?? '')).replace(/[¥,]/g, ''),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/reports-zh-CN.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
