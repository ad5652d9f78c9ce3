/**
 * The counter as a cashier uses it, in Debian's Chromium against browser mode: log in, tap a card, top up,
 * charge, read the receipt, be refused an over-balance charge, and never pay twice for a double click.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';
import {
  factOf,
  memberPanel,
  receiptShown,
  simulatedCard,
  tapSimulatedCard,
  typeAmount,
  waitingForCard,
} from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;
const cashier = DEMO.staff.cashier;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
/** Everything the page logged as an error: CSP violations, React warnings, failed requests. */
const pageErrors: string[] = [];

function spendsOf(cardId: string, amountFen: number): number {
  return terminal.host.ledger
    .operationsOf({ cardId, kinds: ['spend'], limit: 1000 })
    .filter((op) => op.amountFen === amountFen).length;
}

const button = (name: string, scope: Page | Locator = page) =>
  scope.getByRole('button', { name, exact: true });
const waiting = () => waitingForCard(page);
const tapCard = () => tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);

describe.runIf(chromiumAvailable())('the cashier counter in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true });
    // These tests take cash, which needs the drawer's shift open.
    await openShift(terminal.host);
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

  it('logs a cashier in with the keyboard alone', async () => {
    await page.getByLabel('工号', { exact: true }).waitFor();
    await page.keyboard.type(cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(cashier.pin);
    await page.keyboard.press('Enter');
    await page.getByRole('banner').filter({ hasText: DEMO.staff.cashier.name }).waitFor();
    await waiting().waitFor();
  });

  it('shows the member, masked phone and balances when a simulated card is tapped', async () => {
    await tapCard();
    const member = memberPanel(page, DEMO.members.uid.name);
    expect(await factOf(member, '可用余额')).toBe('¥600.00');
    expect(await factOf(member, '本金')).toBe('¥500.00');
    expect(await factOf(member, '赠送金')).toBe('¥100.00');
    // The tier is shown beside the name.
    expect(await member.getByRole('heading', { level: 2 }).textContent()).toBe(
      `${DEMO.members.uid.name}普通会员`,
    );
    const panel = await member.textContent();
    expect(panel).toContain('138****0001');
    expect(panel).not.toContain('13800000001');
    await page.screenshot({ path: `${SCREENSHOTS}/counter-zh-CN.png`, fullPage: true });
  });

  it('tops up ¥100 in cash, shows the ¥20 bonus before confirming, and prints a receipt', async () => {
    await typeAmount(page, '100', '¥100.00');
    await page.keyboard.press('+');
    const topUp = page.getByRole('region', { name: '确认充值' });
    await expect.poll(() => topUp.textContent()).toContain('赠送 ¥20.00');
    expect(await topUp.textContent()).toContain('充值送');
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: '充值成功' });
    await result.waitFor();
    expect(await factOf(result, '当前余额')).toBe('¥720.00');
    expect(await factOf(result, '本金')).toBe('¥600.00');
    expect(await factOf(result, '赠送金')).toBe('¥120.00');
    const printed = await receiptShown(page);
    expect(printed).toMatch(/充值金额\s+[¥￥]100\.00/);
    expect(printed).toMatch(/赠送金额\s+[¥￥]20\.00/);
    expect(printed).toMatch(/活动\s+充值送/);
    expect(printed).toMatch(/支付方式\s+现金/);
    expect(printed).toMatch(/本金余额\s+[¥￥]600\.00/);
    expect(printed).toMatch(/赠送余额\s+[¥￥]120\.00/);
    // The simulated printer's paper, folded on the simulator panel.
    const simulator = page.getByRole('complementary', { name: '模拟器' });
    await expect.poll(() => simulator.getByRole('group').first().textContent()).toContain('充值金额');
    await page.keyboard.press('Enter');
    await waiting().waitFor();
  });

  it('charges ¥30.50 from principal first and shows the new balance and receipt', async () => {
    await tapCard();
    await typeAmount(page, '30.50', '¥30.50');
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: '确认消费' }).waitFor();
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: '消费成功' });
    await result.waitFor();
    expect(await factOf(result, '当前余额')).toBe('¥689.50');
    expect(await factOf(result, '本金')).toBe('¥569.50');
    expect(await factOf(result, '赠送金')).toBe('¥120.00');
    const printed = await receiptShown(page);
    expect(printed).toMatch(/消费金额\s+[¥￥]30\.50/);
    expect(printed).toMatch(/本金支付\s+[¥￥]30\.50/);
    expect(printed).toMatch(/本金余额\s+[¥￥]569\.50/);
    expect(terminal.host.ledger.balance(card.id)).toMatchObject({ principalFen: 56_950, bonusFen: 12_000 });
    await page.keyboard.press('Escape');
  });

  it('refuses a charge over the balance, says what is there, and moves nothing', async () => {
    await tapCard();
    const before = terminal.host.ledger.balance(card.id);
    await typeAmount(page, '1000', '¥1,000.00');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('form', { name: '确认消费' }).getByRole('alert');
    await expect.poll(() => alert.getAttribute('data-code')).toBe('BALANCE_INSUFFICIENT');
    expect(await alert.textContent()).toContain('¥689.50');
    expect(terminal.host.ledger.balance(card.id)).toEqual(before);
    await page.keyboard.press('Escape');
    await memberPanel(page, DEMO.members.uid.name).waitFor();
  });

  it('applies a double-clicked confirm once', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await tapCard();
    await typeAmount(page, '12.34', '¥12.34');
    await button('↵ 消费').click();
    await button('确认', page.getByRole('form', { name: '确认消费' })).dblclick();
    const result = page.getByRole('region', { name: '消费成功' });
    await result.waitFor();
    expect(spendsOf(card.id, 1234)).toBe(1);
    expect(await factOf(result, '当前余额')).toBe('¥677.16');
    await button('完成').click();
  });

  it("voids the card's last operation with a manager's PIN", async () => {
    await tapCard();
    await button('撤销上一笔').click();

    await page.getByLabel('店长工号').fill(DEMO.staff.manager.code);
    await page.getByLabel('店长密码').fill(DEMO.staff.manager.pin);
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: '撤销成功' });
    await result.waitFor();
    expect(await factOf(result, '当前余额')).toBe('¥689.50');
    expect(terminal.host.ledger.balance(card.id)).toMatchObject({ principalFen: 56_950, bonusFen: 12_000 });
    // Every operation waits in the outbox for headquarters; the status bar counts them.
    const waiting = terminal.host.ledger.outbox.stats().waiting;
    expect(waiting).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('banner').textContent()).toContain(`待同步 ${waiting} 笔`);
    await button('完成').click();
  });

  it('offers nothing but inquiry on a frozen card', async () => {
    const frozen = DEMO.cards.magstripe;
    terminal.host.ledger.setCardState({
      operationId: '01KFREEZE0000000000000000',
      cardId: frozen.id,
      state: 'frozen',
      staffId: DEMO.staff.manager.id,
      terminalId: DEMO.terminalId,
    });
    await button('刷卡', simulatedCard(page, frozen.cardNumber)).click();
    const member = memberPanel(page, DEMO.members.magstripe.name);
    await member.waitFor();
    expect(await factOf(member, '卡状态')).toBe('已冻结');
    expect(await member.getByRole('alert').textContent()).toBe(
      '此卡当前只能查询，不能充值或消费。请联系店长处理。',
    );
    expect(await button('↵ 消费').isDisabled()).toBe(true);
    expect(await button('+ 充值').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('tells the cashier that a swiped bank card is not a member card', async () => {
    terminal.host.simulator!.swipe('4111111111111111=29121010000000000000');
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('CARD_IS_PAYMENT_CARD');
    expect(await refusal.textContent()).toContain('银行卡');
    expect(await page.locator('body').textContent()).not.toContain('4111111111111111');
    await page.keyboard.press('Escape');
  });

  it("takes the member's password on a charge, typed on the keyboard, when the member has one", async () => {
    terminal.host.members.setPassword({
      memberId: DEMO.members.mifare.id,
      password: '246810',
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    // The secured card is tapped: typed, its number alone would need a manager's approval.
    await button('拍卡', simulatedCard(page, DEMO.cards.mifare.cardNumber)).click();
    await memberPanel(page, DEMO.members.mifare.name).waitFor();
    await typeAmount(page, '20', '¥20.00');
    await page.keyboard.press('Enter');
    const charge = page.getByRole('form', { name: '确认消费' });
    await charge.getByLabel('会员密码（请会员输入 6 位密码）').waitFor();
    await page.keyboard.type('135790');
    await page.keyboard.press('Enter');
    const refusal = charge.getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('PASSWORD_WRONG');
    expect(await refusal.textContent()).toContain('4');
    await page.keyboard.type('246810');
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: '消费成功' });
    await result.waitFor();
    expect(await factOf(result, '当前余额')).toBe('¥1,180.00');
    await page.keyboard.press('Enter');
  });

  it('runs under its content security policy without a single page error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('shows the counter in English when the cashier switches language', async () => {
    await button('English').click();
    await button('Tap', simulatedCard(page, card.cardNumber, 'Simulator')).click();
    const member = memberPanel(page, DEMO.members.uid.name);
    await member.waitFor();
    expect(await factOf(member, 'Card state')).toBe('Active');
    expect(await page.getByRole('region', { name: 'Recent operations' }).textContent()).toContain('Charge');
    await page.screenshot({ path: `${SCREENSHOTS}/counter-en.png`, fullPage: true });
    await button('中文').click();
  });
});
