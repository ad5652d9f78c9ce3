/**
 * The counter a cashier trusts with a queue waiting, in Chromium at 1366×768: keys act on the counter and not
 * on whichever button was last touched, and a receipt that did not print says so, in words, with a reprint
 * that gives the customer exactly one receipt once the printer is back.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { receiptLines, VirtualPrinter, VirtualPrinterTcpServer } from '../../hardware/index';
import { chromiumAvailable } from '../support/chromium';
import { openShift } from '../support/shift';
import {
  amountShown,
  chargeConfirmation,
  counterResult,
  logIn,
  logOut,
  openTerminalPage,
  type TerminalPage,
  tapSimulatedCard,
  waitingForCard,
} from './terminal-page';

const card = DEMO.cards.uid;

let opened: TerminalPage;
let page: Page;
const paper = new VirtualPrinter();
let printer: VirtualPrinterTcpServer;
let printerPort: number;

/** What the network printer has cut, as text. */
const printedTexts = () => paper.receipts.map((receipt) => receiptLines(receipt).join('\n'));

const tapCard = () => tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);

async function tapKeys(keys: string): Promise<void> {
  const keypad = page.getByRole('group', { name: '数字键盘', exact: true });
  for (const key of keys) await keypad.getByRole('button', { name: key, exact: true }).click();
}

/** The card's recent operations beside the member; one of them by what it shows. */
const recentLine = (shown: string) =>
  page
    .getByRole('region', { name: '最近交易', exact: true })
    .getByRole('listitem')
    .filter({ hasText: shown });

/** Whether the result's receipt is on paper, as the result says it. */
const receiptState = () =>
  counterResult(page, '消费成功').getByRole('group', { name: '小票打印', exact: true });

/** A device's card on the Devices screen: a region named by its role's heading. */
const deviceCard = (name: string) => page.getByRole('region', { name, exact: true });

describe.runIf(chromiumAvailable())('the counter a cashier trusts, in Chromium', () => {
  beforeAll(async () => {
    printer = new VirtualPrinterTcpServer(paper);
    printerPort = await printer.listen(0);
    opened = await openTerminalPage();
    page = opened.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    page.setDefaultTimeout(10_000);
    // The withdrawal pays cash out of the drawer: the cashier's shift is open.
    await openShift(opened.terminal.host);
    await opened.terminal.host.paired.pair(
      {
        role: 'printer',
        profileId: 'pos80-203',
        transport: { kind: 'tcp', host: '127.0.0.1', port: printerPort },
        drawer: false,
      },
      null,
    );
  });

  afterAll(async () => {
    await opened?.stop();
    await printer?.close();
  });

  it('opens the charge for the tapped amount when Enter follows taps on the keypad', async () => {
    await logIn(page, DEMO.staff.cashier);
    await waitingForCard(page).waitFor();
    await tapCard();
    await tapKeys('12');
    await expect.poll(() => amountShown(page).textContent()).toContain('¥12.00');
    await page.keyboard.press('Enter');
    const dialog = chargeConfirmation(page);
    await dialog.getByRole('heading', { name: '确认消费' }).waitFor();
    expect(await amountShown(dialog).textContent()).toBe('¥12.00');
    await page.keyboard.press('Escape');
    expect(await amountShown(page).textContent()).toContain('¥12.00');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await waitingForCard(page).waitFor();
  });

  it('keeps the language the cashier chose when Enter follows the click on it', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: '中文' }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('button', { name: '中文' }).count()).toBe(1);
    await page.getByText('Tap or swipe a member card').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByText('请拍卡或刷卡').waitFor();
  });

  it('says a receipt did not print, why, and what to check on a network printer', async () => {
    await printer.close();
    const light = page.locator('.light[data-kind="printer"]');
    await expect.poll(() => light.getAttribute('data-state')).toBe('error');
    expect(await light.getAttribute('title')).toContain('打印机没有连上');

    await tapCard();
    await tapKeys('8');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const result = counterResult(page, '消费成功');
    await result.getByRole('heading', { name: '消费成功' }).waitFor();
    const alert = result.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('小票未打印');
    const words = (await alert.textContent()) ?? '';
    expect(words).toContain('打印机没有连上');
    expect(words).toContain('IP 地址');
    expect(words).not.toContain('纸');
  });

  it('prints exactly one copy, marked 重打, when the reprint is asked for and the printer comes back', async () => {
    const before = paper.receipts.length;
    const operationId = (await counterResult(page, '消费成功').getAttribute('data-operation-id')) ?? '';
    await page.getByRole('button', { name: '重打小票' }).click();
    await expect.poll(() => receiptState().textContent()).toContain('已发送重打');

    await printer.listen(printerPort);
    await expect.poll(() => receiptState().textContent(), { timeout: 15_000 }).toContain('小票已打印');
    const jobs = opened.terminal.host.ledger.printJobs.list({ limit: 20 });
    const original = jobs.find((job) => job.id === `receipt-${operationId}`);
    expect(original?.state).toBe('failed');
    expect(
      jobs.filter((job) => job.id.startsWith(`reprint-${operationId}-`)).map((job) => job.state),
    ).toEqual(['done']);
    expect(paper.receipts.length).toBe(before + 1);
    const copy = printedTexts().at(-1) ?? '';
    expect(copy).toContain('重打');
    expect(copy).toMatch(/消费金额\s+[¥￥]8\.00/);
    const light = page.locator('.light[data-kind="printer"]');
    await expect.poll(() => light.getAttribute('data-state')).toBe('connected');
    await page.getByRole('button', { name: '完成' }).click();
    await waitingForCard(page).waitFor();
  });

  it('refunds part of a charge to the card with a manager, in the proportion it was taken, and prints the slip', async () => {
    await tapCard();
    const before = opened.terminal.host.ledger.balance(card.id);
    const printed = paper.receipts.length;
    const charge = recentLine('¥8.00');
    await charge.getByRole('button', { name: '退款' }).click();
    const dialog = page.getByRole('form', { name: '消费退款', exact: true });
    await dialog.getByRole('heading', { name: '消费退款' }).waitFor();
    await dialog.getByLabel('退款金额（元）').fill('5');
    await dialog.getByLabel('店长工号').fill(DEMO.staff.manager.code);
    await dialog.getByLabel('店长密码').fill(DEMO.staff.manager.pin);
    await dialog.getByRole('button', { name: '确认' }).click();
    await counterResult(page, '退款成功').getByRole('heading', { name: '退款成功' }).waitFor();
    expect(opened.terminal.host.ledger.balance(card.id).principalFen).toBe(before.principalFen + 500);
    await expect.poll(() => paper.receipts.length).toBe(printed + 1);
    const slip = printedTexts().at(-1) ?? '';
    expect(slip).toContain('消费退款凭证');
    expect(slip).toMatch(/退回本金\s+[¥￥]5\.00/);
    expect(slip).toContain(DEMO.staff.manager.name);
    await page.getByRole('button', { name: '完成' }).click();
  });

  it('pays out principal the member asks for (提现) with a manager, and prints the slip', async () => {
    await tapCard();
    const before = opened.terminal.host.ledger.balance(card.id);
    const printed = paper.receipts.length;
    await tapKeys('10');
    await page.getByRole('button', { name: '提现' }).click();
    const dialog = page.getByRole('form', { name: '提现（退本金）', exact: true });
    await dialog.getByRole('heading', { name: '提现（退本金）' }).waitFor();
    await dialog.getByLabel('店长工号').fill(DEMO.staff.manager.code);
    await dialog.getByLabel('店长密码').fill(DEMO.staff.manager.pin);
    await dialog.getByRole('button', { name: '确认' }).click();
    await counterResult(page, '提现成功').getByRole('heading', { name: '提现成功' }).waitFor();
    expect(opened.terminal.host.ledger.balance(card.id)).toMatchObject({
      principalFen: before.principalFen - 1000,
      bonusFen: before.bonusFen,
    });
    await expect.poll(() => paper.receipts.length).toBe(printed + 1);
    const slip = printedTexts().at(-1) ?? '';
    expect(slip).toContain('提现凭证');
    expect(slip).toMatch(/提现金额\s+[¥￥]10\.00/);
    await page.getByRole('button', { name: '完成' }).click();
  });

  it("reprints any of the card's recent receipts from the list, marked 重打", async () => {
    await tapCard();
    const printed = paper.receipts.length;
    const topUp = recentLine('¥8.00');
    await topUp.getByRole('button', { name: '重打' }).click();
    await page.getByRole('status').filter({ hasText: '已发送重打小票' }).waitFor();
    await expect.poll(() => paper.receipts.length).toBe(printed + 1);
    const copy = printedTexts().at(-1) ?? '';
    expect(copy).toContain('重打');
    expect(copy).toContain('消费凭证');
    await page.keyboard.press('Escape');
    await waitingForCard(page).waitFor();
  });

  it('fails a test print on a printer that is away at once, with advice for a network printer', async () => {
    await printer.close();
    await logOut(page);
    await logIn(page, DEMO.staff.technician);
    // A technician has the Devices screen alone, so it opens without a tab.
    await deviceCard('小票打印机').getByRole('heading', { name: '小票打印机' }).waitFor();
    await page.getByRole('button', { name: '打印测试页' }).click();
    const outcome = deviceCard('小票打印机').getByRole('alert');
    await outcome.waitFor({ timeout: 5_000 });
    const words = (await outcome.textContent()) ?? '';
    expect(words).toContain('打印机没有连上');
    expect(words).toContain('IP 地址');
    expect(words).not.toContain('纸');
    const unprinted = opened.terminal.host.ledger.printJobs.list({ states: ['queued'], limit: 10 });
    expect(unprinted.filter((job) => job.kind === 'test')).toEqual([]);
  });

  it('ran without a page error', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
