/**
 * The live-book rules at the counter, in Chromium against a live book whose HQ is down: no simulator panel; a
 * secured card's typed number asks for a manager's approval, which goes on the receipt; and a charge over the
 * card's offline cap is refused in words, with the cap and what may still be charged in yuan.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { BOOK_MODE_SETTING } from '../../electron/host/book-mode';
import { HQ_SETTING } from '../../electron/host/devices/sync';
import { SETTINGS_KEYS } from '../../sync';
import { enrolDemoTerminal, type HqUnderTest, openHq, serve } from '../integration/sync/fixtures';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { closedLoopbackPort } from '../support/ports';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { logIn } from './terminal-page';

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
let hq: HqUnderTest;

const button = (name: string, scope: Page | Locator = page) =>
  scope.getByRole('button', { name, exact: true });
const cardNumberField = () => page.getByLabel('也可以输入卡号后按回车');
const chargeForm = () => page.getByRole('form', { name: '确认消费' });

async function typeCard(cardNumber: string, memberName: string): Promise<void> {
  await cardNumberField().fill(cardNumber);
  await cardNumberField().press('Enter');
  await page.getByRole('region', { name: memberName, exact: true }).waitFor();
}

async function startCharge(yuan: string): Promise<void> {
  await page.keyboard.type(yuan);
  await button('↵ 消费').click();
  await chargeForm().waitFor();
}

/** The manager's approval a typed secured card needs, filled in within `scope`. */
async function approveKeyedEntry(scope: Locator): Promise<void> {
  const approval = scope.getByRole('group', { name: '手工输入卡号，需店长授权' });
  await approval.getByLabel('店长工号').fill(DEMO.staff.manager.code);
  await approval.getByLabel('店长密码').fill(DEMO.staff.manager.pin);
  await approval.getByLabel('原因（打印在小票上）').fill('会员忘带卡');
}

describe.runIf(chromiumAvailable())('the live-book rules at the counter', () => {
  beforeAll(async () => {
    // Enrolled with an HQ that has not answered for an hour: it is stopped, and nothing listens on its port.
    hq = await openHq('pglite');
    const hqServer = await serve(hq.service, await closedLoopbackPort());
    const { link, secrets } = await enrolDemoTerminal(hq.service, hqServer.url);
    await hqServer.close();
    terminal = await startTerminal({
      trainingMode: false,
      secrets,
      settings: {
        [BOOK_MODE_SETTING]: 'live',
        [HQ_SETTING]: link,
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
    await hq?.close();
  });

  it('shows no simulator panel in a live book', async () => {
    await logIn(page, DEMO.staff.cashier);
    await cardNumberField().waitFor();
    expect(await page.getByRole('complementary', { name: '模拟器' }).count()).toBe(0);
  });

  it("asks a manager's approval for a typed secured card and prints it on the receipt", async () => {
    await typeCard(DEMO.cards.mifare.cardNumber, DEMO.members.mifare.name);
    await startCharge('20');
    await button('确认', chargeForm()).click();
    const refusal = chargeForm().getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('KEYED_ENTRY_NEEDS_APPROVAL');
    expect(await refusal.textContent()).toContain('店长');
    await approveKeyedEntry(chargeForm());
    await button('确认', chargeForm()).click();
    const slip = page.getByRole('figure', { name: '小票预览' });
    await slip.waitFor();
    const receipt = await slip.textContent();
    expect(receipt).toContain('手工输入卡号');
    expect(receipt).toContain(DEMO.staff.manager.name);
    expect(receipt).toContain('会员忘带卡');
    await page.keyboard.press('Enter');
  });

  it("asks the same approval for a gift taken by a typed secured card's points", async () => {
    terminal.host.loyalty.loyalty.putGift({
      storeId: DEMO.storeId,
      gift: { id: 'mug', name: '马克杯', points: 50, active: true },
      staffId: DEMO.staff.manager.id,
    });
    await typeCard(DEMO.cards.mifare.cardNumber, DEMO.members.mifare.name);
    // The gifts fold under their summary line beside the member.
    await page.getByText('积分兑礼', { exact: true }).click();
    const gifts = page.getByRole('group').filter({ has: page.getByText('积分兑礼', { exact: true }) });
    await button('马克杯 · 50 积分', gifts).click();
    await button('确认', gifts).click();
    await approveKeyedEntry(gifts);
    await button('确认', gifts).click();
    await expect.poll(() => gifts.getByRole('status').textContent()).toContain('马克杯');
    await page.keyboard.press('Escape');
  });

  it("refuses a charge over the card's offline cap in words, with the cap and what is left", async () => {
    await typeCard(DEMO.cards.uid.cardNumber, DEMO.members.uid.name);
    await startCharge('60');
    await button('确认', chargeForm()).click();
    const refusal = chargeForm().getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('OFFLINE_CARD_CAP_REACHED');
    expect(await refusal.textContent()).toContain('连不上总部');
    expect(await refusal.textContent()).toContain('上限 ¥50.00');
    expect(await refusal.textContent()).toContain('还可消费 ¥50.00');
    expect(
      terminal.host.ledger.operationsOf({ cardId: DEMO.cards.uid.id, kinds: ['spend'], limit: 10 }),
    ).toEqual([]);
  });
});
