/**
 * Customers' ratings in HQ's console, in Chromium: two customers scan their receipts' QR and rate (one 5 stars,
 * one 1 star), and a support user signed in to the console sees them per week, store and cashier, with the
 * 1-star visit listed for follow-up.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqAccounts, type RunningHqServer, startHqServer } from '../../sync/hq';
import { makeRatingToken } from '../../sync/rating-token';
import { enrolled, type HqUnderTest, openHq } from '../integration/sync/fixtures';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { rawRequest } from '../support/raw-http';
import { bodyRows, cellText } from './report-reading';

const USER = { username: 'li.support', password: 'a long passphrase for hq' };
/** Saturday 5 December 2026, noon in Shanghai: ISO week 49. */
const VISIT_AT = Date.UTC(2026, 11, 5, 4, 0, 0);

let hq: HqUnderTest;
let server: RunningHqServer;
let browser: LaunchedChromium;
let page: Page;

describe.runIf(chromiumAvailable())('customer ratings in the HQ console', () => {
  beforeAll(async () => {
    hq = await openHq('pglite');
    server = await startHqServer({ service: hq.service, now: () => VISIT_AT + 3_600_000 });
    await new HqAccounts(hq.database).addUser({ ...USER, role: 'support', now: Date.now() });
    const till = await enrolled(hq.service, 'S01-T1', 'S01');
    for (const [operationId, staffName, stars] of [
      ['op-good', '王芳', 5],
      ['op-bad', '李强', 1],
    ] as const) {
      const token = makeRatingToken(
        {
          terminalId: till.terminalId,
          storeId: till.storeId,
          operationId,
          staffId: staffName,
          staffName,
          at: VISIT_AT,
        },
        till.key,
      );
      const answer = await rawRequest(`${server.url}/rate/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `stars=${stars}`,
      });
      expect(answer.status).toBe(200);
    }
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${server.url}/console`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hq?.close();
  });

  it('shows ratings per week, store and cashier, and the low one to follow up', async () => {
    await page.getByLabel('用户名', { exact: true }).fill(USER.username);
    await page.getByLabel('密码', { exact: true }).fill(USER.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('banner').getByText(USER.username, { exact: true }).waitFor();
    const tab = page
      .getByRole('navigation', { name: '功能页' })
      .getByRole('button', { name: '顾客评价', exact: true });
    await tab.click();
    expect(await tab.getAttribute('aria-current')).toBe('page');
    const groups = bodyRows(page.getByRole('table', { name: '每周评价（门店、收银员）' }));
    await expect.poll(() => groups.count()).toBe(2);
    expect((await groups.allInnerTexts()).map((row) => row.split('\t'))).toEqual([
      ['2026-W49', 'Store S01', '李强', '1', '1.00', '1'],
      ['2026-W49', 'Store S01', '王芳', '1', '5.00', '0'],
    ]);
    const lowTable = page.getByRole('table', { name: '低分待跟进（1–2 星）' });
    expect(await bodyRows(lowTable).count()).toBe(1);
    expect(await cellText(lowTable, 'op-bad', '收银员')).toBe('李强');
  });
});
