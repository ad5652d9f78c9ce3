/**
 * The 会员 list and win-back notices, in Debian's Chromium against browser mode: a manager filters the list
 * to the members lost for months, ticks three of them and sends a win-back notice; the store's notice
 * webhook (a loopback HTTP server here) receives it for the two who consented to marketing and never for
 * the third (who still gets her card's service notices), whom the screen counts as skipped and says why. One of the two comes back and the win-back
 * results say so. 新增会员 opens the 开卡 registration.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { submitLogin, tab } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const manager = DEMO.staff.manager;
const DAY_MS = 86_400_000;
const SECRET = 'win-back-webhook-secret-0001';
const CONSENT = { purpose: '会员服务与储值卡管理', version: '2026-01' };
const MARKETING = { purpose: '接收会员活动与优惠信息', version: 'marketing-2026-01' };

/** Three members who last came four months ago: two accept marketing, one does not. */
const away = [
  { id: 'member-away-1', name: '许晴', phone: '13600000001', marketing: true },
  { id: 'member-away-2', name: '庞博', phone: '13600000002', marketing: true },
  { id: 'member-away-3', name: '苏芮', phone: '13600000003', marketing: false },
];

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
let webhook: Server;
const received: Array<{ kind: string; memberId: string; message: string; to: { name: string } | null }> = [];
let offset = -120 * DAY_MS;

describe.runIf(chromiumAvailable())('the member list and win-back notices in Chromium', () => {
  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/notices`;

    // The members registered, carded and charged 120 days ago; then the clock comes back to today.
    terminal = await startTerminal({ now: () => Date.now() + offset });
    const { host } = terminal;
    const who = { staffId: manager.id, terminalId: DEMO.terminalId };
    for (const [n, member] of away.entries()) {
      host.members.register({
        id: member.id,
        storeId: DEMO.storeId,
        name: member.name,
        phone: member.phone,
        consent: CONSENT,
        marketing: { ...MARKETING, granted: member.marketing },
        ...who,
      });
      host.ledger.issueCard({
        id: `card-away-${n}`,
        memberId: member.id,
        cardNumber: `550000000000010${n}`,
        medium: 'keyed',
        ...who,
      });
      host.ledger.topUp({
        ...who,
        operationId: `away-top-up-${n}`,
        cardId: `card-away-${n}`,
        amountFen: 10_000,
        tender: 'wechat',
        tenderReference: `WX-${n}`,
        bonusFen: 0,
        points: 0,
      });
      host.ledger.spend({
        ...who,
        operationId: `away-charge-${n}`,
        cardId: `card-away-${n}`,
        amountFen: 1_800,
      });
    }
    offset = 0;
    host.loyalty.setNoticeSettings({ member: { provider: 'webhook', url, secret: SECRET }, crm: null });

    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(terminal.server.url);
    await submitLogin(page, manager.code, manager.pin);
    await page.getByRole('banner').getByText(manager.name).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
    await new Promise((resolve) => webhook?.close(resolve));
  });

  it('lists the lost members with masked phones, sends the win-back only to those who consented, and shows who came back', async () => {
    await tab(page, '会员').click();
    await page.getByRole('button', { name: '会员名单' }).click();
    await page.getByLabel('分群').selectOption('lost');
    await page.getByRole('button', { name: '筛选' }).click();
    /** A member's row on the list, by the box that picks them (named after them). */
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByLabel(`选中${name}`) });
    for (const member of away) await row(member.name).waitFor();
    expect(await row('许晴').textContent()).toContain('136****0001');
    expect(await row('许晴').textContent()).not.toContain('13600000001');
    expect(await row('许晴').textContent()).toContain('已流失');

    for (const member of away) await page.getByLabel(`选中${member.name}`).check();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/member-list-win-back-zh-CN.png`, fullPage: true });
    await page.getByRole('button', { name: '发送召回通知' }).click();
    const outcome = page.getByRole('status').filter({ hasText: '已发送' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toBe('已发送 2 位。 跳过 1 位：未同意接收营销信息。');

    // The webhook hears from the two who consented, addressed to them by name, and never about the third.
    await expect
      .poll(() => received.filter((r) => r.kind === 'win_back').length, { timeout: 20_000 })
      .toBe(2);
    const winBacks = received.filter((r) => r.kind === 'win_back');
    expect(winBacks.map((r) => r.memberId).sort()).toEqual(['member-away-1', 'member-away-2']);
    expect(winBacks.map((r) => r.to?.name).sort()).toEqual(['庞博', '许晴'].sort());
    // She still hears about her own card's top-up (a service notice, not marketing), never the win-back.
    expect(received.filter((r) => r.memberId === 'member-away-3').map((r) => r.kind)).not.toContain(
      'win_back',
    );
    expect(
      terminal.host.loyalty.notices
        .list(100)
        .filter((n) => n.memberId === 'member-away-3' && n.kind === 'win_back'),
    ).toEqual([]);

    // 许晴 comes back for a coffee; the results count her and only her.
    terminal.host.ledger.spend({
      staffId: manager.id,
      terminalId: DEMO.terminalId,
      operationId: 'came-back-1',
      cardId: 'card-away-0',
      amountFen: 2_200,
    });
    await page.getByRole('button', { name: '召回效果' }).click();
    const campaign = page.getByRole('region', { name: '召回通知与回店情况' }).getByRole('article').first();
    await campaign.waitFor();
    expect(await campaign.getByText(/^发送 /).textContent()).toBe('发送 2 位，跳过 1 位，已回店 1 位');
    expect(await campaign.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('许晴')]);
  });

  it('opens the 开卡 registration from 新增会员', async () => {
    await tab(page, '会员').click();
    await page.getByRole('button', { name: '新增会员' }).click();
    await expect.poll(() => tab(page, '开卡').getAttribute('aria-current')).toBe('page');
    await page.getByLabel('手机', { exact: true }).waitFor();
  });
});
