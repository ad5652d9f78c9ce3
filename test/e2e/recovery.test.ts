/**
 * Getting back in, in Debian's Chromium against browser mode, as a store would: the launch token leaves the
 * address bar once the page has it; a cashier locked out by wrong PINs is unlocked at the login screen by a
 * manager's own staff number and PIN; an admin prints a recovery sheet on the Staff screen, is later locked
 * out, and the sheet's code typed under the login gives them a new PIN. Chinese throughout.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable } from '../support/chromium';
import { logIn, logOut, openTerminalPage, submitLogin, type TerminalPage, tab } from './terminal-page';

/** The button that puts the shown-once code away. */
const WRITTEN = '已保存好，关闭';

let opened: TerminalPage;
let page: Page;

async function lockOut(staffNo: string): Promise<void> {
  // The submit button stays disabled while a login is checked, so each try is answered before the next.
  for (let attempt = 0; attempt < 5; attempt += 1) await submitLogin(page, staffNo, '0000');
  await expect.poll(() => page.getByRole('alert').first().getAttribute('data-code')).toBe('STAFF_LOCKED');
}

describe.runIf(chromiumAvailable())('lockout and recovery at the login screen', () => {
  beforeAll(async () => {
    opened = await openTerminalPage();
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.stop();
  });

  it('takes the launch token out of the address bar once the page has it', async () => {
    await page.getByLabel('工号', { exact: true }).waitFor();
    expect(page.url()).not.toContain('token');
    expect(page.url()).not.toContain(opened.terminal.server.token);
  });

  it('a manager unlocks a locked-out cashier with their own PIN, and the cashier logs in', async () => {
    await lockOut(DEMO.staff.cashier.code);
    await page.getByRole('button', { name: '收银员被锁定？店长解锁' }).click();
    expect(await page.getByLabel('被锁定的工号').inputValue()).toBe(DEMO.staff.cashier.code);
    await page.getByLabel('店长工号').fill(DEMO.staff.manager.code);
    await page.getByLabel('店长密码').fill('0000');
    await page.getByRole('button', { name: '解锁', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').last().textContent()).toContain('还可以再试两次');
    await page.getByLabel('店长密码').fill(DEMO.staff.manager.pin);
    await page.getByRole('button', { name: '解锁', exact: true }).click();
    await expect.poll(() => page.getByText(/已解锁/).count()).toBe(1);
    await logIn(page, DEMO.staff.cashier);
    await logOut(page);
  });

  it("the only admin, locked out, gets back in with the recovery sheet's code", async () => {
    await logIn(page, DEMO.staff.admin);
    await tab(page, '员工管理').click();
    await page.getByText('本店还没有恢复单', { exact: false }).waitFor();
    await page.getByRole('button', { name: '打印新的恢复单' }).click();
    const shown = page.getByText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const code = (await shown.textContent()) ?? '';
    await page.getByRole('button', { name: WRITTEN }).click();
    await page.getByText(/^当前恢复单打印于/).waitFor();
    expect(await shown.count()).toBe(0);
    await logOut(page);

    await lockOut(DEMO.staff.admin.code);
    await page.getByRole('button', { name: '管理员无法登录？使用恢复单' }).click();
    await page.getByLabel('恢复码').fill(code.toLowerCase());
    await page.getByLabel('管理员工号').fill(DEMO.staff.admin.code);
    await page.getByLabel('新密码', { exact: true }).fill('24680');
    await page.getByLabel('再输入一次新密码').fill('24680');
    await page.getByRole('button', { name: '恢复管理员' }).click();
    await expect.poll(() => page.getByText(/已设置新密码/).count()).toBe(1);
    await logIn(page, { ...DEMO.staff.admin, pin: '24680' });
    expect(opened.pageErrors).toEqual([]);
  });
});
