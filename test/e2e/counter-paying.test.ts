/**
 * Paying at the counter, in Chromium at 1366×768, by the words on the screen: a charge larger than the card's
 * balance takes the rest in cash with the change shown, both legs on the receipt; a customer's WeChat Pay
 * code read by the barcode scanner picks the tender and pays a top-up, printed as the reference; an Alipay
 * code pays the rest of a charge; an amount over the chain's limit says the limit instead of waiting forever.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable } from '../support/chromium';
import { openShift } from '../support/shift';
import {
  bonusShown,
  chargeConfirmation,
  counterResult,
  factOf,
  logIn,
  openTerminalPage,
  receiptShown,
  type TerminalPage,
  tapSimulatedCard,
  topUpConfirmation,
  typeAmount,
  waitingForCard,
} from './terminal-page';

const card = DEMO.cards.uid;
const WECHAT_CODE = '134567890123456789';
const ALIPAY_CODE = '281234567890123456';

let opened: TerminalPage;
let page: Page;

const tapCard = () => tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);

/**
 * The barcode scanner reading a payment code: a keyboard wedge that types the digits and Enter a few
 * milliseconds apart, to whatever has the focus (sent inside the page, so the pace is the scanner's).
 */
async function scan(code: string): Promise<void> {
  await page.evaluate((digits) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...digits, 'Enter']) {
      const init = { key, code: key === 'Enter' ? 'Enter' : `Digit${key}`, bubbles: true, cancelable: true };
      target.dispatchEvent(new KeyboardEvent('keydown', init));
      target.dispatchEvent(new KeyboardEvent('keyup', init));
    }
  }, code);
}

/** The result named by its title, its receipt read, and Enter back to a counter waiting for a card. */
async function finish(title: '充值成功' | '消费成功'): Promise<string> {
  await counterResult(page, title).waitFor();
  const receipt = await receiptShown(page);
  await page.keyboard.press('Enter');
  await waitingForCard(page).waitFor();
  return receipt;
}

describe.runIf(chromiumAvailable())('paying at the counter, in Chromium', () => {
  beforeAll(async () => {
    opened = await openTerminalPage();
    page = opened.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    page.setDefaultTimeout(10_000);
    // The cash legs go into the drawer: the cashier's shift is open.
    await openShift(opened.terminal.host);
  });

  afterAll(async () => {
    await opened?.stop();
  });

  it('splits a ¥880 charge: the card pays its ¥600, cash the other ¥280 with change from ¥300', async () => {
    await logIn(page, DEMO.staff.cashier);
    await waitingForCard(page).waitFor();
    await tapCard();
    await typeAmount(page, '880', '¥880.00');
    await page.keyboard.press('Enter');
    const dialog = chargeConfirmation(page);
    await dialog.getByRole('heading', { name: '确认消费' }).waitFor();
    // Who pays, masked as on the receipt.
    expect(await factOf(dialog, '会员')).toContain('陈*');
    const split = dialog.getByRole('group', { name: /^余额不足，可组合支付/ });
    expect(await split.textContent()).toContain('卡上 ¥600.00 全部用于支付，其余 ¥280.00 用');
    await split.getByRole('button', { name: '现金' }).click();
    await split.getByLabel('实收现金（元）').fill('300');
    await expect.poll(() => split.getByRole('status').textContent()).toBe('找零 ¥20.00');
    await page.screenshot({ path: 'test-results/e2e/counter-split-1366.png' });
    // The whole dialog, its confirm button included, fits the screen without scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBe(0);
    await dialog.getByRole('button', { name: '确认' }).click();
    const result = counterResult(page, '消费成功');
    await result.getByText('会员卡支付 ¥600.00，现金 ¥280.00', { exact: true }).waitFor();
    const receipt = await finish('消费成功');
    expect(receipt).toMatch(/消费金额\s+[¥￥]880\.00/);
    expect(receipt).toMatch(/本金支付\s+[¥￥]500\.00/);
    expect(receipt).toMatch(/现金\s+[¥￥]280\.00/);
    const [charge] = opened.terminal.host.ledger.operationsOf({
      cardId: card.id,
      kinds: ['spend'],
      limit: 1,
    });
    expect(charge).toMatchObject({
      amountFen: 88_000,
      principalFen: 50_000,
      bonusFen: 10_000,
      tender: 'cash',
    });
  });

  it('tops up with a WeChat Pay code from the scanner: the tender is picked and the code printed', async () => {
    await tapCard();
    await typeAmount(page, '100', '¥100.00');
    await page.keyboard.press('+');
    const dialog = topUpConfirmation(page);
    await expect.poll(() => bonusShown(page).textContent()).toContain('¥20.00');
    expect(await factOf(dialog, '充值后余额')).toBe('¥120.00');
    await scan(WECHAT_CODE);
    await dialog.getByText('已扫到微信支付付款码').waitFor();
    expect(await dialog.getByRole('button', { name: '微信支付' }).getAttribute('aria-pressed')).toBe('true');
    expect(await dialog.getByLabel('支付单号').inputValue()).toBe(WECHAT_CODE);
    await page.keyboard.press('Enter');
    const receipt = await finish('充值成功');
    expect(receipt).toMatch(/支付方式\s+微信支付/);
    expect(receipt).toContain(WECHAT_CODE);
    expect(opened.terminal.host.ledger.balance(card.id)).toMatchObject({
      principalFen: 10_000,
      bonusFen: 2_000,
    });
  });

  it('takes the rest of a ¥150 charge with a scanned Alipay code', async () => {
    await tapCard();
    await typeAmount(page, '150', '¥150.00');
    await page.keyboard.press('Enter');
    const dialog = chargeConfirmation(page);
    await dialog.getByRole('group', { name: /^余额不足，可组合支付/ }).waitFor();
    await scan(ALIPAY_CODE);
    await dialog.getByText('已扫到支付宝付款码').waitFor();
    expect(await dialog.getByLabel('付款码').inputValue()).toBe(ALIPAY_CODE);
    await page.keyboard.press('Enter');
    const result = counterResult(page, '消费成功');
    await result.getByText('会员卡支付 ¥120.00，支付宝 ¥30.00', { exact: true }).waitFor();
    const receipt = await finish('消费成功');
    expect(receipt).toMatch(/支付宝\s+[¥￥]30\.00/);
    expect(receipt).toContain(ALIPAY_CODE);
  });

  it('says the limit for ¥1,000,000 and for ¥9,999,999, with no bonus left waiting', async () => {
    await tapCard();
    for (const [keys, shown] of [
      ['1000000', '¥1,000,000.00'],
      ['9999999', '¥9,999,999.00'],
    ] as const) {
      await typeAmount(page, keys, shown);
      await page.keyboard.press('+');
      const dialog = topUpConfirmation(page);
      await expect
        .poll(() => dialog.getByRole('alert').textContent())
        .toBe(`单笔充值最多 ¥5,000.00，${shown} 超过了上限。`);
      expect(await bonusShown(page).textContent()).toBe('—');
      expect(await dialog.getByRole('button', { name: '确认' }).isDisabled()).toBe(true);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }
  });
});
