/**
 * The customer display in Chromium, at 1366×768: a technician pairs the virtual LED display on the Devices
 * screen and tests it; then the customer window (a second page, `?view=customer`, as the second screen shows
 * it) follows the counter while a cashier charges a card: the amount as it is typed, the total with the
 * member's masked name at the confirmation, and the balance after with a thank-you once it is done. The
 * LED display shows the same numbers with its lamps. After the charge the customer rates the visit with one
 * tap of the stars; a second rating of it is refused; the manager sees it on the reports screen.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { sessionOf } from '../support/books';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { logIn, logOut } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let counter: Page;
let customer: Page;

const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

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
    await customer.getByTestId('customer-screen').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('is paired and tested on the Devices screen: the virtual display lights 总计 8888.88', async () => {
    await logIn(counter, DEMO.staff.technician);
    await counter.getByTestId('devices-screen').waitFor();
    const panel = counter.getByTestId('customer-display');
    await panel.waitFor();
    await counter.getByTestId('display-kind').selectOption('virtual');
    await counter.getByTestId('display-pair').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('simulated');
    await counter.getByTestId('display-test').click();
    await expect.poll(() => textOf(counter, 'display-shown')).toBe('客显显示：总计 8888.88');
    await counter.screenshot({ path: `${SCREENSHOTS}/devices-customer-display.png` });
    await logOut(counter);
  });

  it('shows the amount typed, the total with the masked member, then the balance after and a thank-you', async () => {
    expect(await textOf(customer, 'customer-heading')).toBe('欢迎光临');
    await logIn(counter, DEMO.staff.cashier);
    await counter.getByTestId(`sim-present-${card.cardNumber}`).click();
    await expect.poll(() => counter.getByTestId('member-name').textContent()).toBe(DEMO.members.uid.name);

    await counter.keyboard.type('30.5');
    await expect.poll(() => textOf(customer, 'customer-amount')).toBe('¥30.50');
    expect(await textOf(customer, 'customer-heading')).toBe('单价');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'price', text: '30.50' });

    await counter.keyboard.press('Enter');
    await counter.getByTestId('charge-confirm').waitFor();
    await expect.poll(() => textOf(customer, 'customer-heading')).toBe('应付金额');
    expect(await textOf(customer, 'customer-amount')).toBe('¥30.50');
    expect(await textOf(customer, 'customer-member')).toBe('会员：陈*');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'total', text: '30.50' });
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-window-total.png` });

    await counter.keyboard.press('Enter');
    await counter.getByTestId('result').waitFor();
    await expect.poll(() => textOf(customer, 'customer-heading')).toBe('交易完成');
    const after = terminal.host.ledger.balance(card.id);
    const balance = ((after.principalFen + after.bonusFen) / 100).toFixed(2);
    expect(await textOf(customer, 'customer-balance')).toBe(`卡内余额：¥${balance}`);
    expect(await textOf(customer, 'customer-thanks')).toContain('谢谢惠顾');
    // The customer sees the name masked, never the phone or the card number.
    const shown = await textOf(customer, 'customer-screen');
    expect(shown).not.toContain(DEMO.members.uid.name);
    expect(shown).not.toContain(card.cardNumber);
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-window-done.png` });

    // The customer rates the visit: one tap, recorded against the charge as the cashier who made it.
    const charged = terminal.host.ledger
      .operationsOf({ terminalId: DEMO.terminalId, kinds: ['spend'] })
      .at(-1)!;
    await customer.getByTestId('customer-star-2').click();
    await expect.poll(() => textOf(customer, 'customer-rated')).toBe('感谢您的评价：2 星');
    expect(await customer.getByTestId('customer-rating').count()).toBe(0);
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
    await expect.poll(() => textOf(customer, 'customer-heading')).toBe('欢迎光临');
    expect(terminal.host.customerDisplay.status().shown).toEqual({ lamp: 'none', text: '' });
  });

  it('shows the manager that rating on the reports screen, under the cashier and in the low ones to follow up', async () => {
    await logOut(counter);
    await logIn(counter, DEMO.staff.manager);
    await counter.getByTestId('nav-reports').click();
    const staff = counter.getByTestId('report-ratings-staff').getByTestId('report-ratings-staff-row');
    await expect.poll(() => staff.count()).toBe(1);
    expect(await staff.first().locator('td').allTextContents()).toEqual([
      DEMO.staff.cashier.name,
      '1',
      '2.00',
      '1',
    ]);
    const low = counter.getByTestId('report-ratings-low').getByTestId('report-ratings-low-row');
    expect(await low.count()).toBe(1);
    const cells = await low.first().locator('td').allTextContents();
    expect(cells[3]).toBe(DEMO.staff.cashier.name);
    expect(cells[4]).toBe('2');
    expect(cells[6]).toBe('顾客屏');
    expect(await textOf(counter, 'ratings-summary')).toContain('1 条');
    await counter.locator('[data-testid="chart-ratings-weeks"][data-drawn="true"]').waitFor();
    await counter.screenshot({ path: `${SCREENSHOTS}/reports-ratings.png`, fullPage: true });
  });
});
