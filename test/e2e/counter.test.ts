/**
 * The counter as a cashier uses it, in Debian's Chromium against browser mode: log in, tap a card, top up,
 * charge, read the receipt, be refused an over-balance charge, and never pay twice for a double click.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';

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

async function tapCard(): Promise<void> {
  await page.getByTestId(`sim-present-${card.cardNumber}`).click();
  await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.uid.name);
}

/** Types an amount on the physical keyboard and waits until the display shows it as money. */
async function typeAmount(keys: string, shown: string): Promise<void> {
  await page.keyboard.type(keys);
  await expect.poll(() => page.getByTestId('amount').textContent()).toContain(shown);
}

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
    await page.getByTestId('login-staff').waitFor();
    await page.keyboard.type(cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(cashier.pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('staff-name').textContent()).toContain(DEMO.staff.cashier.name);
    await page.getByTestId('waiting').waitFor();
  });

  it('shows the member, masked phone and balances when a simulated card is tapped', async () => {
    await tapCard();
    expect(await page.getByTestId('balance-total').textContent()).toBe('¥600.00');
    expect(await page.getByTestId('balance-principal').textContent()).toBe('¥500.00');
    expect(await page.getByTestId('balance-bonus').textContent()).toBe('¥100.00');
    expect(await page.getByTestId('member-tier').textContent()).toBe('普通会员');
    const panel = await page.getByTestId('member-panel').textContent();
    expect(panel).toContain('138****0001');
    expect(panel).not.toContain('13800000001');
    await page.screenshot({ path: `${SCREENSHOTS}/counter-zh-CN.png`, fullPage: true });
  });

  it('tops up ¥100 in cash, shows the ¥20 bonus before confirming, and prints a receipt', async () => {
    await typeAmount('100', '¥100.00');
    await page.keyboard.press('+');
    await expect.poll(() => page.getByTestId('bonus-preview').textContent()).toContain('¥20.00');
    expect(await page.getByTestId('bonus-preview').textContent()).toContain('充值送');
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result-total').textContent()).toBe('¥720.00');
    expect(await page.getByTestId('result-principal').textContent()).toBe('¥600.00');
    expect(await page.getByTestId('result-bonus').textContent()).toBe('¥120.00');
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toMatch(/充值金额\s+[¥￥]100\.00/);
    expect(receipt).toMatch(/赠送金额\s+[¥￥]20\.00/);
    expect(receipt).toMatch(/活动\s+充值送/);
    expect(receipt).toMatch(/支付方式\s+现金/);
    expect(receipt).toMatch(/本金余额\s+[¥￥]600\.00/);
    expect(receipt).toMatch(/赠送余额\s+[¥￥]120\.00/);
    await expect.poll(() => page.getByTestId('printed-receipt').first().textContent()).toContain('充值金额');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  it('charges ¥30.50 from principal first and shows the new balance and receipt', async () => {
    await tapCard();
    await typeAmount('30.50', '¥30.50');
    await page.keyboard.press('Enter');
    await page.getByTestId('charge-confirm').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result-total').textContent()).toBe('¥689.50');
    expect(await page.getByTestId('result-principal').textContent()).toBe('¥569.50');
    expect(await page.getByTestId('result-bonus').textContent()).toBe('¥120.00');
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toMatch(/消费金额\s+[¥￥]30\.50/);
    expect(receipt).toMatch(/本金支付\s+[¥￥]30\.50/);
    expect(receipt).toMatch(/本金余额\s+[¥￥]569\.50/);
    expect(terminal.host.ledger.balance(card.id)).toMatchObject({ principalFen: 56_950, bonusFen: 12_000 });
    await page.keyboard.press('Escape');
  });

  it('refuses a charge over the balance, says what is there, and moves nothing', async () => {
    await tapCard();
    const before = terminal.host.ledger.balance(card.id);
    await typeAmount('1000', '¥1,000.00');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const alert = page.locator('[data-code="BALANCE_INSUFFICIENT"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('¥689.50');
    expect(terminal.host.ledger.balance(card.id)).toEqual(before);
    await page.keyboard.press('Escape');
    await page.getByTestId('member-panel').waitFor();
  });

  it('applies a double-clicked confirm once', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await tapCard();
    await typeAmount('12.34', '¥12.34');
    await page.getByTestId('start-charge').click();
    await page.getByTestId('confirm').dblclick();
    await page.getByTestId('result').waitFor();
    expect(spendsOf(card.id, 1234)).toBe(1);
    expect(await page.getByTestId('result-total').textContent()).toBe('¥677.16');
    await page.getByTestId('done').click();
  });

  it("voids the card's last operation with a manager's PIN", async () => {
    await tapCard();
    await page.getByTestId('start-void').click();

    await page.getByTestId('approver-no').fill(DEMO.staff.manager.code);
    await page.getByTestId('approver-pin').fill(DEMO.staff.manager.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result-total').textContent()).toBe('¥689.50');
    expect(terminal.host.ledger.balance(card.id)).toMatchObject({ principalFen: 56_950, bonusFen: 12_000 });
    // Every operation waits in the outbox for headquarters; the status bar counts them.
    const waiting = terminal.host.ledger.outbox.stats().waiting;
    expect(waiting).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toContain(`待同步 ${waiting} 笔`);
    await page.getByTestId('done').click();
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
    await page.getByTestId(`sim-swipe-${frozen.cardNumber}`).click();
    await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.magstripe.name);
    expect(await page.getByTestId('card-state').textContent()).toBe('已冻结');
    await page.getByTestId('inquiry-only').waitFor();
    expect(await page.getByTestId('start-charge').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-top-up').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('tells the cashier that a swiped bank card is not a member card', async () => {
    terminal.host.simulator!.swipe('4111111111111111=29121010000000000000');
    const refusal = page.locator('[data-code="CARD_IS_PAYMENT_CARD"]');
    await refusal.waitFor();
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
    await page.getByTestId(`sim-present-${DEMO.cards.mifare.cardNumber}`).click();
    await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.mifare.name);
    await typeAmount('20', '¥20.00');
    await page.keyboard.press('Enter');
    await page.getByTestId('member-password').waitFor();
    await page.keyboard.type('135790');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-code="PASSWORD_WRONG"]').textContent()).toContain('4');
    await page.keyboard.type('246810');
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result-total').textContent()).toBe('¥1,180.00');
    await page.keyboard.press('Enter');
  });

  it('runs under its content security policy without a single page error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('shows the counter in English when the cashier switches language', async () => {
    await page.getByTestId('toggle-language').click();
    await tapCard();
    expect(await page.getByTestId('card-state').textContent()).toBe('Active');
    expect(await page.getByTestId('recent-operations').textContent()).toContain('Charge');
    await page.screenshot({ path: `${SCREENSHOTS}/counter-en.png`, fullPage: true });
    await page.getByTestId('toggle-language').click();
  });
});
