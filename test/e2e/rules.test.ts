/**
 * Bonus rules, points and a top-up refund in Debian's Chromium against browser mode: a manager retires the
 * demo promotion and writes 充100送10; a cashier tops the simulator card up ¥100 and sees the ¥10 bonus before
 * confirming; a charge takes points off the price; the manager refunds the top-up, sees the arithmetic
 * (principal back, bonus forfeited into breakage) and the rule's versions keep what was applied.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';
import {
  bonusShown,
  chargeConfirmation,
  counterResult,
  factOf,
  memberPanel,
  tab,
  tapSimulatedCard,
  typeAmount,
  waitingForCard,
} from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function logIn(staff: { code: string; pin: string; name: string }): Promise<void> {
  await page.getByLabel('工号', { exact: true }).waitFor();
  await page.keyboard.type(staff.code);
  await page.keyboard.press('Enter');
  await page.keyboard.type(staff.pin);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('banner').textContent()).toContain(staff.name);
}

async function logOut(): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('工号', { exact: true }).waitFor();
}

/** A bonus rule's row on the rules screen, by the rule's name. */
const ruleRow = (name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });

/** A panel of the rules screen, by its heading. */
const panel = (name: string) => page.getByRole('region', { name, exact: true });

const tapCard = () => tapSimulatedCard(page, card.cardNumber, DEMO.members.uid.name);

function storeNet(kind: string): number {
  return (
    terminal.host.ledger.sqlite
      .prepare<[string, string], { net: number }>(
        `SELECT b.credits - b.debits AS net FROM accounts a JOIN balances b ON b.account_id = a.id
         WHERE a.store_id = ? AND a.card_id IS NULL AND a.kind = ?`,
      )
      .get(DEMO.storeId, kind)?.net ?? 0
  );
}

describe.runIf(chromiumAvailable())('bonus rules, points and refunds in Chromium', () => {
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

  it('a manager retires the demo promotion and creates 充100送10', async () => {
    await logIn(DEMO.staff.manager);
    await tab(page, '充值规则').click();
    const demo = ruleRow('充值送');
    await demo.getByRole('button', { name: '停用' }).click();
    await expect.poll(() => demo.textContent()).toContain('已停用');
    await page.getByRole('button', { name: '新建规则' }).click();
    const form = page.getByRole('form', { name: '新建规则' });
    await form.getByLabel('名称', { exact: true }).fill('充100送10');
    await form.getByLabel('充值满（元）').first().fill('100');
    await form.getByLabel('赠送（元）').first().fill('10');
    await form.getByLabel('每元积分').fill('1');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('第 1 版');
    const row = ruleRow('充100送10');
    await expect.poll(() => row.textContent()).toContain('充 ¥100.00 送 ¥10.00');
    expect(await row.textContent()).toContain('赠送金永不过期');
    const points = panel('积分');
    await points.getByLabel('礼品').fill('咖啡杯');
    await points.getByLabel('所需积分').fill('50');
    await points.getByRole('button', { name: '添加礼品' }).click();
    await expect.poll(() => points.textContent()).toContain('咖啡杯 · 50');
    await page.screenshot({ path: `${SCREENSHOTS}/rules-zh-CN.png`, fullPage: true });
    await logOut();
  });

  it('a cashier tops up ¥100 and sees the ¥10 bonus before confirming', async () => {
    await logIn(DEMO.staff.cashier);
    await tapCard();
    const before = terminal.host.ledger.balance(card.id);
    await typeAmount(page, '100', '¥100.00');
    await page.keyboard.press('+');
    await expect.poll(() => bonusShown(page).textContent()).toContain('¥10.00');
    expect(await bonusShown(page).textContent()).toContain('充100送10');
    await page.keyboard.press('Enter');
    await counterResult(page, '充值成功').waitFor();
    expect(terminal.host.ledger.balance(card.id)).toEqual({
      principalFen: before.principalFen + 10_000,
      bonusFen: before.bonusFen + 1_000,
      points: before.points + 100,
    });
    await page.keyboard.press('Enter');
    await waitingForCard(page).waitFor();
  });

  it('a charge takes the points the cashier chose off the price', async () => {
    await tapCard();
    const before = terminal.host.ledger.balance(card.id);
    await typeAmount(page, '50', '¥50.00');
    await page.keyboard.press('Enter');
    const charge = chargeConfirmation(page);
    await charge.waitFor();
    await charge.getByLabel(/^使用积分/).fill('100');
    await expect.poll(() => factOf(charge, '积分抵扣')).toBe('−¥1.00');
    expect(await factOf(charge, '实付')).toBe('¥49.00');
    expect(await factOf(charge, '本次获得积分')).toBe('49');
    await charge.getByRole('button', { name: '确认', exact: true }).click();
    // What the points took off, in the result's words.
    await counterResult(page, '消费成功')
      .getByText('原价 ¥50.00 · 折扣 ¥0.00 · 积分 100 抵 ¥1.00', { exact: true })
      .waitFor();
    const after = terminal.host.ledger.balance(card.id);
    expect(after.points).toBe(before.points - 100 + 49);
    expect(after.principalFen + after.bonusFen).toBe(before.principalFen + before.bonusFen - 4_900);
    expect(terminal.host.ledger.checkInvariants().ok).toBe(true);
    await page.keyboard.press('Enter');
    await waitingForCard(page).waitFor();
  });

  it('a gift from the catalogue is taken for its points at the counter', async () => {
    await tapCard();
    const before = terminal.host.ledger.balance(card.id);
    const gifts = page.getByRole('group', { name: '积分兑礼', exact: true });
    await gifts.getByText('积分兑礼', { exact: true }).click();
    await gifts.getByRole('button', { name: /咖啡杯/ }).click();
    await gifts.getByRole('button', { name: '确认', exact: true }).click();
    await expect.poll(() => gifts.getByRole('status').textContent()).toContain('50 积分');
    expect(await factOf(memberPanel(page, DEMO.members.uid.name), '积分')).toBe(String(before.points - 50));
    expect(terminal.host.ledger.balance(card.id)).toEqual({ ...before, points: before.points - 50 });
    await page.keyboard.press('Escape');
    await logOut();
  });

  it('a manager refunds the top-up: principal back, bonus forfeited to breakage, the arithmetic shown', async () => {
    await logIn(DEMO.staff.manager);
    await tab(page, '充值规则').click();
    const ledger = terminal.host.ledger;
    const topUp = ledger.operationsOf({
      cardId: card.id,
      kinds: ['top_up'],
      order: 'newest_first',
      limit: 1,
    })[0];
    const before = ledger.balance(card.id);
    const breakage = storeNet('breakage');
    const refunds = panel('退充值');
    await refunds.getByLabel('卡号').fill(card.cardNumber);
    await refunds.getByRole('button', { name: '查询充值记录' }).click();
    await refunds.getByRole('row').first().getByRole('button', { name: '退款' }).click();
    // The arithmetic: what the card held, the principal paid back, the bonus forfeited, what is left.
    const facts = refunds.getByRole('definition');
    await expect.poll(() => facts.nth(1).textContent()).toBe('−¥100.00');
    expect(await facts.nth(2).textContent()).toBe('−¥10.00');
    const total = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
    const sum = `${total(before.principalFen + before.bonusFen)} − 退回本金 ¥100.00 − 作废赠送金 ¥10.00 = ${total(before.principalFen + before.bonusFen - 11_000)}`;
    expect(await refunds.getByText(sum, { exact: true }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/rules-refund-zh-CN.png`, fullPage: true });
    await refunds.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => refunds.getByRole('status').textContent()).toContain('¥10.00');
    expect(ledger.balance(card.id)).toMatchObject({
      principalFen: before.principalFen - 10_000,
      bonusFen: before.bonusFen - 1_000,
    });
    expect(ledger.operation(`refund:${topUp?.operationId}:bonus`)).toMatchObject({ kind: 'forfeit' });
    expect(storeNet('breakage')).toBe(breakage + 1_000);
    expect(ledger.checkInvariants().ok).toBe(true);
  });

  it('changing the rule writes a new version and leaves the applied top-up as it was', async () => {
    await ruleRow('充100送10').getByRole('button', { name: '修改' }).click();
    const form = page.getByRole('form', { name: '充100送10 · 修改' });
    await form.getByLabel('赠送（元）').first().fill('15');
    await form.getByLabel('名称', { exact: true }).fill('充100送15');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('第 2 版');
    await ruleRow('充100送15').getByRole('button', { name: '历史版本' }).click();
    const version = (n: number) =>
      panel('历史版本')
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: `v${n}`, exact: true }) });
    await expect.poll(() => version(1).textContent()).toContain('1 笔，赠送 ¥10.00');
    expect(await version(2).textContent()).toContain('0 笔');
    expect(pageErrors).toEqual([]);
  });
});
