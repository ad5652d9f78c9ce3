/**
 * The customer display in Chromium, at 1366×768: a technician pairs the virtual LED display on the Devices
 * screen and tests it; then the customer window (a second page, `?view=customer`, as the second screen shows
 * it) follows the counter while a cashier charges a card: the amount as it is typed, the total with the
 * member's masked name at the confirmation, and the balance after with a thank-you once it is done. The
 * LED display shows the same numbers with its lamps. After the charge the customer rates the visit with one
 * tap of the stars; a second rating of it is refused; the manager sees it on the reports screen.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { sessionOf } from '../support/books';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { bodyRows, drawnChart } from './report-reading';
import { chargeConfirmation, counterResult, logIn, logOut, tab, tapSimulatedCard } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let counter: Page;
let customer: Page;

const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
/** The customer window's heading: what the amount under it is (单价, 应付金额, …), or the welcome. */
const heading = () => customer.getByRole('heading', { level: 1 });
/** The amount on the customer window, named by the heading above it. */
const amount = (name: string) => customer.getByRole('status', { name, exact: true });
/** A line of the customer window, by the words it starts with. */
const line = (words: string) => customer.getByText(new RegExp(`^${words}`));

describe.runIf(chromiumAvailable())('the customer display', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true });
    await openShift(terminal.host);
    browser = await launchChromium();
    counter = await browser.context.newPage();
    await counter.setViewportSize({ width: 1366, height: 768 });
    await counter.goto(terminal.server.url);
    customer = await browser.context.newPage();
    await customer.setViewportSize({ width: 1024, height: 600 });
    // The customer window is the same app asked for its customer view, with the launch token.
    await customer.goto(terminal.server.url.replace('/#token=', '/?view=customer#token='));
    await heading().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('is paired and tested on the Devices screen: the virtual display lights 总计 8888.88', async () => {
    await logIn(counter, DEMO.staff.technician);
    // The technician starts on the Devices screen, where the customer display has a panel of its own.
    await counter.getByRole('heading', { name: /^设备配对与检测/ }).waitFor();
    const panel = counter.getByRole('region', { name: '客显（顾客显示）' });
    await panel.waitFor();
    await panel.getByLabel('连接方式').selectOption('virtual');
    await panel.getByRole('button', { name: '配对客显' }).click();
    // The panel names what is paired and its state: the virtual display, simulated.
    await panel.getByText('虚拟客显（演示与培训） · 模拟', { exact: true }).waitFor();
    await panel.getByRole('button', { name: '测试客显' }).click();
    await expect.poll(() => textOf(panel.getByRole('status'))).toBe('客显显示：总计 8888.88');
    await counter.screenshot({ path: `${SCREENSHOTS}/devices-customer-display.png` });
    await logOut(counter);
  });

  it('shows the amount typed, the total with the masked member, then the balance after and a thank-you', async () => {
    expect(await textOf(heading())).toBe('欢迎光临');
    await logIn(counter, DEMO.staff.cashier);
    await tapSimulatedCard(counter, card.cardNumber, DEMO.members.uid.name);

    await counter.keyboard.type('30.5');
    await expect.poll(() => textOf(amount('单价'))).toBe('¥30.50');
    expect(await textOf(heading())).toBe('单价');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'price', text: '30.50' });

    await counter.keyboard.press('Enter');
    await chargeConfirmation(counter).waitFor();
    await expect.poll(() => textOf(heading())).toBe('应付金额');
    expect(await textOf(amount('应付金额'))).toBe('¥30.50');
    expect(await textOf(line('会员：'))).toBe('会员：陈*');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'total', text: '30.50' });
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-window-total.png` });

    await counter.keyboard.press('Enter');
    await counterResult(counter, '消费成功').waitFor();
    await expect.poll(() => textOf(heading())).toBe('交易完成');
    const after = terminal.host.ledger.balance(card.id);
    const balance = ((after.principalFen + after.bonusFen) / 100).toFixed(2);
    expect(await textOf(line('卡内余额：'))).toBe(`卡内余额：¥${balance}`);
    expect(await line('谢谢惠顾').count()).toBe(1);
    // The customer sees the name masked, never the phone or the card number.
    const shown = await textOf(customer.getByRole('main'));
    expect(shown).not.toContain(DEMO.members.uid.name);
    expect(shown).not.toContain(card.cardNumber);
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-window-done.png` });

    // The customer rates the visit: one tap, recorded against the charge as the cashier who made it.
    const charged = terminal.host.ledger
      .operationsOf({ terminalId: DEMO.terminalId, kinds: ['spend'] })
      .at(-1)!;
    const stars = customer.getByRole('group', { name: '为本次服务评分' });
    await stars.getByRole('button', { name: '2 星', exact: true }).click();
    await expect.poll(() => textOf(line('感谢您的评价'))).toBe('感谢您的评价：2 星');
    expect(await stars.count()).toBe(0);
    // Nothing more to rate on show: a second rating of the same visit is refused.
    const again = await terminal.host.api.call(await sessionOf(terminal.host, 'cashier'), 'display.rate', {
      stars: 5,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'RATING_NOT_RATEABLE' } });
    await terminal.host.customerDisplay.show({
      phase: 'done',
      amountFen: 3_050,
      operationId: charged.operationId,
    });
    expect(terminal.host.customerDisplay.current().rating).toBeNull();

    await counter.keyboard.press('Escape');
    await expect.poll(() => textOf(heading())).toBe('欢迎光临');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'none', text: '' });
  });

  it('shows the manager that rating on the reports screen, under the cashier and in the low ones to follow up', async () => {
    await logOut(counter);
    await logIn(counter, DEMO.staff.manager);
    await tab(counter, '经营报表').click();
    const report = (title: string) => counter.getByRole('region', { name: title, exact: true });
    const staff = bodyRows(report('顾客评分：按收银员').getByRole('table'));
    await expect.poll(() => staff.count()).toBe(1);
    expect(await staff.getByRole('cell').allTextContents()).toEqual([
      DEMO.staff.cashier.name,
      '1',
      '2.00',
      '1',
    ]);
    const low = bodyRows(report('低分评价（1–2 星），待回访').getByRole('table'));
    expect(await low.count()).toBe(1);
    const cells = await low.getByRole('cell').allTextContents();
    expect(cells[3]).toBe(DEMO.staff.cashier.name);
    expect(cells[4]).toBe('2');
    expect(cells[6]).toBe('顾客屏');
    expect(await textOf(counter.getByText(/^顾客评分：\d+ 条/))).toContain('：1 条');
    await drawnChart(report('顾客评分：按周'), '顾客评分：按周').waitFor();
    await counter.screenshot({ path: `${SCREENSHOTS}/reports-ratings.png`, fullPage: true });
  });
});
