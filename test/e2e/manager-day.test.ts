/**
 * The manager's day in Debian's Chromium against browser mode: a cashier who has not opened a shift is offered
 * one at the counter before their first cash top-up, and the top-up goes on inside it; the day close lists the
 * open shift, says later sales fall into the next day and refuses to close; a manager's PIN on their own shift
 * count is refused until the store allows a lone manager, and then the Z report flags it.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal, storeNoonClock } from './host-fixture';
import { logIn, logOut } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

const alertCode = () => page.getByRole('alert').first().getAttribute('data-code');

/** The blind count of the terminal's shift, then a manager's PIN on the sign-off. */
async function countAndSignOff(pieces: Record<string, string>, approver: { code: string; pin: string }) {
  await page.getByTestId('nav-shift').click();
  for (const [face, n] of Object.entries(pieces)) await page.getByTestId(`closing-${face}`).fill(n);
  await page.getByTestId('shift-count-submit').click();
  await page.getByTestId('shift-expected').waitFor();
  await signOff(approver);
}

async function signOff(approver: { code: string; pin: string }) {
  await page.getByTestId('manager-no').fill(approver.code);
  await page.getByTestId('manager-pin').fill(approver.pin);
  await page.getByTestId('sign-off-submit').click();
}

describe.runIf(chromiumAvailable())("the manager's day in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true, now: storeNoonClock() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('offers a cashier without a shift to open one before the first cash top-up, which then goes on', async () => {
    await logIn(page, DEMO.staff.cashier);
    await page.getByTestId(`sim-present-${card.cardNumber}`).click();
    await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.uid.name);
    const before = terminal.host.ledger.operationsOf({
      cardId: card.id,
      kinds: ['top_up'],
      limit: 1000,
    }).length;
    await page.keyboard.type('100');
    await page.keyboard.press('+');
    await page.getByTestId('top-up-confirm').waitFor();
    await page.keyboard.press('Enter');

    await page.getByTestId('shift-prompt').waitFor();
    expect(await page.getByTestId('shift-prompt').textContent()).toContain('本机还没有开班');
    // Nothing was recorded: the cash waits for the shift.
    expect(
      terminal.host.ledger.operationsOf({ cardId: card.id, kinds: ['top_up'], limit: 1000 }).length,
    ).toBe(before);
    await page.getByTestId('prompt-float-10000').fill('2');
    expect(await page.getByTestId('prompt-float-total').textContent()).toBe('¥200.00');
    await page.screenshot({ path: `${SCREENSHOTS}/shift-prompt-zh-CN.png`, fullPage: true });
    await page.getByTestId('shift-prompt-open').click();
    await page.getByTestId('result').waitFor();

    const topUps = terminal.host.ledger.operationsOf({ cardId: card.id, kinds: ['top_up'], limit: 1000 });
    expect(topUps.length).toBe(before + 1);
    expect(topUps.at(-1)).toMatchObject({ amountFen: 10_000, tender: 'cash' });
    await page.keyboard.press('Enter');
    await page.getByTestId('nav-shift').click();
    await expect.poll(() => page.getByTestId('shift-float').textContent()).toBe('¥200.00');
  });

  it('lists the open shift at the day close, warns that later sales go to the next day, and will not close', async () => {
    await logOut(page);
    await logIn(page, DEMO.staff.manager);
    await page.getByTestId('nav-day-close').click();
    await page.getByTestId('day-open-shift').first().waitFor();
    const row = (await page.getByTestId('day-open-shift').first().textContent()) ?? '';
    expect(row).toContain(DEMO.staff.cashier.name);
    expect(row).toContain('营业中');
    await page.getByTestId('day-close').click();
    const confirm = page.getByRole('dialog', { name: '日结' });
    expect(await confirm.textContent()).toContain('下一个营业日');
    await confirm.getByRole('button', { name: '确定日结' }).click();
    await expect.poll(alertCode).toBe('DAY_HAS_OPEN_SHIFTS');
    // The refusal shows in the question itself; Esc puts the question away as a cancel, and focus goes back
    // to the button that asked it.
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await page.getByTestId('day-close').evaluate((button) => button === document.activeElement)).toBe(
      true,
    );
  });

  it("refuses a manager's PIN on their own shift count until the store allows a lone manager, then flags it", async () => {
    // The cashier's shift is counted and signed off by the manager: a second person, accepted.
    await countAndSignOff({ '10000': '3' }, DEMO.staff.manager);
    await page.getByTestId('shift-closed').waitFor();
    await page.getByTestId('shift-closed-done').click();

    // The manager works a shift of their own and signs it off with their own PIN: refused.
    await page.getByTestId('float-10000').fill('1');
    await page.getByTestId('shift-open-submit').click();
    await expect.poll(() => page.getByTestId('shift-float').textContent()).toBe('¥100.00');
    await countAndSignOff({ '10000': '1' }, DEMO.staff.manager);
    await expect.poll(alertCode).toBe('APPROVAL_BY_SELF');
    expect(await page.getByRole('alert').first().textContent()).toContain('不能自己审批');

    // The store allows a lone manager; the same sign-off stands and the Z report says whose it was.
    await page.getByTestId('nav-day-close').click();
    await page.getByTestId('day-lone-manager').locator('input').click();
    await expect.poll(() => page.getByTestId('day-lone-manager').locator('input').isChecked()).toBe(true);
    await page.getByTestId('nav-shift').click();
    await signOff(DEMO.staff.manager);
    await page.getByTestId('shift-closed').waitFor();
    await page.getByTestId('shift-closed-done').click();
    await page.getByTestId('nav-day-close').click();
    await page.getByTestId('z-self-approved').waitFor();
    expect(await page.getByTestId('z-self-approved').count()).toBe(1);
    expect(await page.getByTestId('day-open-shifts').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/day-close-self-approved-zh-CN.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
