/**
 * The manager's day in Debian's Chromium against browser mode: a cashier who has not opened a shift is offered
 * one at the counter before their first cash top-up, and the top-up goes on inside it; the day close lists the
 * open shift, says later sales fall into the next day and refuses to close; a manager's PIN on their own shift
 * count is refused until the store allows a lone manager, and then the Z report flags it.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal, storeNoonClock } from './host-fixture';
import {
  counterResult,
  factOf,
  logIn,
  logOut,
  tab,
  tapSimulatedCard,
  topUpConfirmation,
} from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

const alertCode = () => page.getByRole('alert').first().getAttribute('data-code');
const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
/** A panel of a screen, by its heading. */
const panel = (name: string) => page.getByRole('region', { name, exact: true });
const dayCloseScreen = () => page.getByRole('region', { name: '日结', exact: true });
/** The unsigned shifts the day close lists, a list named by the warning above it. */
const openShifts = () => dayCloseScreen().getByRole('list', { name: /班次未签核/ });
/** The pieces of one note or coin in a cash count, by its face value (`¥100.00`). */
const pieces = (scope: Locator, face: string) => scope.getByLabel(face, { exact: true });

/** The blind count of the terminal's shift (pieces by face value), then a manager's PIN on the sign-off. */
async function countAndSignOff(count: Record<string, string>, approver: { code: string; pin: string }) {
  await tab(page, '交接班').click();
  const counting = panel('交班清点（盲点）');
  for (const [face, n] of Object.entries(count)) await pieces(counting, face).fill(n);
  await button(counting, '提交清点').click();
  await panel('清点结果').getByRole('cell', { name: '应有现金', exact: true }).waitFor();
  await signOff(approver);
}

async function signOff(approver: { code: string; pin: string }) {
  const result = panel('清点结果');
  await result.getByLabel('店长工号', { exact: true }).fill(approver.code);
  await result.getByLabel('店长密码', { exact: true }).fill(approver.pin);
  await button(result, '店长签核交班').click();
}

/** Puts the signed-off shift's panel away with 完成. */
async function doneWithSignedOffShift() {
  const closed = panel('本班已签核');
  await closed.waitFor();
  await button(closed, '完成').click();
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
    await tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);
    const before = terminal.host.ledger.operationsOf({
      cardId: card.id,
      kinds: ['top_up'],
      limit: 1000,
    }).length;
    await page.keyboard.type('100');
    await page.keyboard.press('+');
    await topUpConfirmation(page).waitFor();
    await page.keyboard.press('Enter');

    const prompt = page.getByRole('dialog', { name: '本机还没有开班' });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('本机还没有开班');
    // Nothing was recorded: the cash waits for the shift.
    expect(
      terminal.host.ledger.operationsOf({ cardId: card.id, kinds: ['top_up'], limit: 1000 }).length,
    ).toBe(before);
    await pieces(prompt, '¥100.00').fill('2');
    expect(await prompt.getByRole('status', { name: '合计' }).textContent()).toBe('¥200.00');
    await page.screenshot({ path: `${SCREENSHOTS}/shift-prompt-zh-CN.png`, fullPage: true });
    await button(prompt, '开班并继续').click();
    await counterResult(page, '充值成功').waitFor();

    const topUps = terminal.host.ledger.operationsOf({ cardId: card.id, kinds: ['top_up'], limit: 1000 });
    expect(topUps.length).toBe(before + 1);
    expect(topUps.at(-1)).toMatchObject({ amountFen: 10_000, tender: 'cash' });
    await page.keyboard.press('Enter');
    await tab(page, '交接班').click();
    await expect.poll(() => factOf(panel('当前班次'), '备用金')).toBe('¥200.00');
  });

  it('lists the open shift at the day close, warns that later sales go to the next day, and will not close', async () => {
    await logOut(page);
    await logIn(page, DEMO.staff.manager);
    await tab(page, '日结').click();
    const shiftRow = openShifts().getByRole('listitem').first();
    await shiftRow.waitFor();
    const row = (await shiftRow.textContent()) ?? '';
    expect(row).toContain(DEMO.staff.cashier.name);
    expect(row).toContain('营业中');
    await button(dayCloseScreen(), '日结').click();
    const confirm = page.getByRole('dialog', { name: '日结' });
    expect(await confirm.textContent()).toContain('下一个营业日');
    await confirm.getByRole('button', { name: '确定日结' }).click();
    await expect.poll(alertCode).toBe('DAY_HAS_OPEN_SHIFTS');
    // The refusal shows in the question itself; Esc puts the question away as a cancel, and focus goes back
    // to the button that asked it.
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await button(dayCloseScreen(), '日结').evaluate((asked) => asked === document.activeElement)).toBe(
      true,
    );
  });

  it("refuses a manager's PIN on their own shift count until the store allows a lone manager, then flags it", async () => {
    // The cashier's shift is counted and signed off by the manager: a second person, accepted.
    await countAndSignOff({ '¥100.00': '3' }, DEMO.staff.manager);
    await doneWithSignedOffShift();

    // The manager works a shift of their own and signs it off with their own PIN: refused.
    const open = panel('开班');
    await pieces(open, '¥100.00').fill('1');
    await button(open, '开班').click();
    await expect.poll(() => factOf(panel('当前班次'), '备用金')).toBe('¥100.00');
    await countAndSignOff({ '¥100.00': '1' }, DEMO.staff.manager);
    await expect.poll(alertCode).toBe('APPROVAL_BY_SELF');
    expect(await page.getByRole('alert').first().textContent()).toContain('不能自己审批');

    // The store allows a lone manager; the same sign-off stands and the Z report says whose it was.
    await tab(page, '日结').click();
    const loneManager = page.getByRole('checkbox', { name: '允许店长独自审批' });
    await loneManager.click();
    await expect.poll(() => loneManager.isChecked()).toBe(true);
    await tab(page, '交接班').click();
    await signOff(DEMO.staff.manager);
    await doneWithSignedOffShift();
    await tab(page, '日结').click();
    const selfApproved = page
      .getByRole('region', { name: /^营业中报表（X） · / })
      .getByRole('table', { name: '班次' })
      .getByText('店长独自审批');
    await selfApproved.waitFor();
    expect(await selfApproved.count()).toBe(1);
    expect(await openShifts().count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/day-close-self-approved-zh-CN.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
