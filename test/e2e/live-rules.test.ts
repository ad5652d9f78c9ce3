/**
 * The live-book rules at the counter, in Chromium against a live book whose HQ is down: no simulator panel; a
 * secured card's typed number asks for a manager's approval, which goes on the receipt; and a charge over the
 * card's offline cap is refused in words, with the cap and what may still be charged in yuan.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { BOOK_MODE_SETTING } from '../../electron/host/book-mode';
import { HQ_SETTING } from '../../electron/host/devices/sync';
import { SETTINGS_KEYS } from '../../sync';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { closedLoopbackPort } from '../support/ports';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { logIn } from './terminal-page';

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;

async function typeCard(cardNumber: string, memberName: string): Promise<void> {
  await page.getByTestId('card-number').fill(cardNumber);
  await page.getByTestId('card-number').press('Enter');
  await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(memberName);
}

async function startCharge(yuan: string): Promise<void> {
  await page.keyboard.type(yuan);
  await page.getByTestId('start-charge').click();
  await page.getByTestId('charge-confirm').waitFor();
}

describe.runIf(chromiumAvailable())('the live-book rules at the counter', () => {
  beforeAll(async () => {
    terminal = await startTerminal({
      trainingMode: false,
      settings: {
        [BOOK_MODE_SETTING]: 'live',
        // Enrolled with an HQ that has not answered for an hour (nothing listens on its port).
        [HQ_SETTING]: {
          url: `http://127.0.0.1:${await closedLoopbackPort()}`,
          terminalId: DEMO.terminalId,
          storeId: DEMO.storeId,
          key: 'A'.repeat(43),
        },
        [SETTINGS_KEYS.caps]: { perCardFen: 5_000, perTerminalFen: 50_000, maxAgeMs: 24 * 3_600_000 },
        [SETTINGS_KEYS.lastContactAt]: Date.now() - 3_600_000,
      },
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(terminal.server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('shows no simulator panel in a live book', async () => {
    await logIn(page, DEMO.staff.cashier);
    await page.getByTestId('card-number').waitFor();
    expect(await page.locator('[data-testid^="sim-present-"]').count()).toBe(0);
  });

  it("asks a manager's approval for a typed secured card and prints it on the receipt", async () => {
    await typeCard(DEMO.cards.mifare.cardNumber, DEMO.members.mifare.name);
    await startCharge('20');
    await page.getByTestId('confirm').click();
    await expect
      .poll(() => page.locator('[data-code="KEYED_ENTRY_NEEDS_APPROVAL"]').textContent())
      .toContain('店长');
    await page.getByTestId('keyed-approver-no').fill(DEMO.staff.manager.code);
    await page.getByTestId('keyed-approver-pin').fill(DEMO.staff.manager.pin);
    await page.getByTestId('keyed-reason').fill('会员忘带卡');
    await page.getByTestId('confirm').click();
    await page.getByTestId('receipt').waitFor();
    const receipt = await page.getByTestId('receipt').textContent();
    expect(receipt).toContain('手工输入卡号');
    expect(receipt).toContain(DEMO.staff.manager.name);
    expect(receipt).toContain('会员忘带卡');
    await page.keyboard.press('Enter');
  });

  it("refuses a charge over the card's offline cap in words, with the cap and what is left", async () => {
    await typeCard(DEMO.cards.uid.cardNumber, DEMO.members.uid.name);
    await startCharge('60');
    await page.getByTestId('confirm').click();
    const refusal = page.locator('[data-code="OFFLINE_CARD_CAP_REACHED"]');
    await expect.poll(() => refusal.textContent()).toContain('连不上总部');
    expect(await refusal.textContent()).toContain('上限 ¥50.00');
    expect(await refusal.textContent()).toContain('还可消费 ¥50.00');
    expect(
      terminal.host.ledger.operationsOf({ cardId: DEMO.cards.uid.id, kinds: ['spend'], limit: 10 }),
    ).toEqual([]);
  });
});
