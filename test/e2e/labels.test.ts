/**
 * Every field on every screen has a name a screen reader says and a test can find it by: a `<label>` around
 * or for it with words in it, or an aria-label. The admin and the cashier open each of their tabs in turn,
 * and each opened screen is scanned for a field without one.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable } from '../support/chromium';
import { logIn, logOut, openTerminalPage, type TerminalPage, tab } from './terminal-page';

/** The fields on the page that have no accessible name, each as the start of its markup. */
function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea')]
      .filter((field) => {
        const labels = (field as HTMLInputElement).labels ?? [];
        const byLabel = [...labels].some((label) => (label.textContent ?? '').trim() !== '');
        const byAria = (field.getAttribute('aria-label') ?? '').trim() !== '';
        const byId = (field.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .some((id) => (document.getElementById(id)?.textContent ?? '').trim() !== '');
        return !byLabel && !byAria && !byId;
      })
      .map((field) => field.outerHTML.slice(0, 160)),
  );
}

/** Opens each tab of the screen bar in turn and returns, per tab, the fields found without a name. */
async function scanTabs(page: Page): Promise<Record<string, string[]>> {
  const tabs = page.getByRole('navigation', { name: '功能' }).getByRole('button');
  // The screen shown on login first (a cashier's only one, when there is no tab bar).
  const found: Record<string, string[]> = { 登录后: await unlabelled(page) };
  for (const name of await tabs.allTextContents()) {
    const tab = page.getByRole('navigation', { name: '功能' }).getByRole('button', { name, exact: true });
    await tab.click();
    await expect.poll(() => tab.getAttribute('aria-current')).toBe('page');
    // The screen's fields arrive with the host's first answer: settled when two reads a frame apart agree.
    let before = -1;
    await expect
      .poll(async () => {
        const now = await page.evaluate(
          () =>
            new Promise<number>((done) =>
              requestAnimationFrame(() => done(document.querySelectorAll('input, select, textarea').length)),
            ),
        );
        const settled = now === before;
        before = now;
        return settled;
      })
      .toBe(true);
    found[name] = await unlabelled(page);
  }
  return found;
}

describe.runIf(chromiumAvailable())('every field has a name, in Chromium', () => {
  let opened: TerminalPage;
  let page: Page;

  beforeAll(async () => {
    opened = await openTerminalPage();
    page = opened.page;
  });
  afterAll(() => opened?.stop());

  it('on the login screen', async () => {
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    expect(await unlabelled(page)).toEqual([]);
  });

  it("on every one of the admin's screens", async () => {
    await logIn(page, DEMO.staff.admin);
    const found = await scanTabs(page);
    await logOut(page);
    expect(Object.keys(found).length).toBeGreaterThan(4);
    expect(Object.fromEntries(Object.entries(found).filter(([, fields]) => fields.length > 0))).toEqual({});
  });

  it('on the forms and lists that open from a screen', async () => {
    await logIn(page, DEMO.staff.admin);
    const found: Record<string, string[]> = {};
    await tab(page, '充值规则').click();
    await page.getByRole('button', { name: '新建规则' }).click();
    await page.getByRole('form', { name: '新建规则' }).waitFor();
    found.newRule = await unlabelled(page);
    await tab(page, '会员').click();
    await page.getByRole('button', { name: '会员名单' }).click();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('table').getByRole('checkbox').first().waitFor();
    found.memberList = await unlabelled(page);
    await tab(page, '开卡').click();
    await page.getByRole('button', { name: '已有会员' }).click();
    found.activationExisting = await unlabelled(page);
    await logOut(page);
    expect(Object.fromEntries(Object.entries(found).filter(([, fields]) => fields.length > 0))).toEqual({});
  });

  it("on every one of the cashier's screens", async () => {
    await logIn(page, DEMO.staff.cashier);
    const found = await scanTabs(page);
    await logOut(page);
    expect(Object.fromEntries(Object.entries(found).filter(([, fields]) => fields.length > 0))).toEqual({});
  });
});
