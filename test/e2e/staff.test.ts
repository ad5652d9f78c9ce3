/**
 * The admin's staff screen in Debian's Chromium against browser mode, with logins at the counter in between:
 * an admin adds a cashier with an initial PIN, the cashier logs in; deactivated, the same login is refused
 * with the deactivated message; reactivated, given a new PIN and a manager's role, they log in with the new
 * PIN as a manager. The one remaining admin cannot be deactivated, and the screen says why. Deactivated while
 * logged in, a staff member's next tap returns the screen to the login with the reason. Chinese throughout,
 * and the screen's labels once in English.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable } from '../support/chromium';
import { logIn, logOut, openTerminalPage, submitLogin, type TerminalPage, tab } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const NEWCOMER = { code: '1234', name: '王小明', pin: '2468', newPin: '1357' };

let opened: TerminalPage;
let page: Page;

async function openStaffScreenAsAdmin(): Promise<void> {
  await logIn(page, DEMO.staff.admin);
  await tab(page, '员工管理').click();
  await page.getByRole('heading', { name: '员工管理' }).waitFor();
}

/** A staff member's row in the list, found by the staff number in its first cell. */
const row = (code: string): Locator =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: code, exact: true }) });
const stateOf = (code: string) => row(code).getByRole('cell').nth(3).textContent();
const roleOf = (code: string) => row(code).getByRole('cell').nth(2).textContent();

describe.runIf(chromiumAvailable())('staff administration in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    opened = await openTerminalPage();
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.stop();
  });

  it('a cashier has no staff screen', async () => {
    await logIn(page, DEMO.staff.cashier);
    expect(await tab(page, '员工管理').count()).toBe(0);
    await logOut(page);
  });

  it('an admin adds a cashier with an initial PIN, and the cashier logs in at the counter', async () => {
    await openStaffScreenAsAdmin();
    const form = page.getByRole('form', { name: '新增员工' });
    await form.getByLabel('工号（3–8 位数字）').fill(NEWCOMER.code);
    await form.getByLabel('姓名').fill(NEWCOMER.name);
    expect(await form.getByLabel('岗位').inputValue()).toBe('cashier');
    await form.getByLabel('初始密码（4–8 位数字）').fill(NEWCOMER.pin);
    await form.getByRole('button', { name: '添加' }).click();
    await expect.poll(() => page.getByText(`已保存：${NEWCOMER.name}`, { exact: true }).count()).toBe(1);
    expect(await roleOf(NEWCOMER.code)).toBe('收银员');
    expect(await stateOf(NEWCOMER.code)).toBe('在用');
    await logOut(page);

    await logIn(page, NEWCOMER);
    await page.getByLabel('也可以输入卡号后按回车').waitFor();
    expect(await tab(page, '员工管理').count()).toBe(0);
    await logOut(page);
  });

  it('a deactivated cashier is refused at login with the deactivated message', async () => {
    await openStaffScreenAsAdmin();
    await row(NEWCOMER.code).getByRole('button', { name: '停用' }).click();
    await expect.poll(() => stateOf(NEWCOMER.code)).toBe('已停用');
    await logOut(page);

    await submitLogin(page, NEWCOMER.code, NEWCOMER.pin);
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('STAFF_DEACTIVATED');
    expect(await refusal.textContent()).toBe('该账号已停用，请联系管理员。');
    expect(await page.getByRole('button', { name: '退出' }).count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/staff-login-deactivated.png` });
  });

  it('reactivated, with a new PIN and a manager role, they log in with the new PIN as a manager', async () => {
    await openStaffScreenAsAdmin();
    await row(NEWCOMER.code).getByRole('button', { name: '启用' }).click();
    await expect.poll(() => stateOf(NEWCOMER.code)).toBe('在用');

    await row(NEWCOMER.code).getByRole('button', { name: '重置密码' }).click();
    await row(NEWCOMER.code).getByLabel('新密码（4–8 位数字）').fill(NEWCOMER.newPin);
    await row(NEWCOMER.code).getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row(NEWCOMER.code).getByLabel('新密码（4–8 位数字）').count()).toBe(0);

    await row(NEWCOMER.code).getByRole('button', { name: '调整岗位' }).click();
    await row(NEWCOMER.code).getByLabel('调整岗位').selectOption('manager');
    await row(NEWCOMER.code).getByRole('button', { name: '保存' }).click();
    await expect.poll(() => roleOf(NEWCOMER.code)).toBe('店长');
    await page.screenshot({ path: `${SCREENSHOTS}/staff-list.png`, fullPage: true });
    await logOut(page);

    // The old PIN no longer opens the counter; the new one does, with a manager's screens.
    await submitLogin(page, NEWCOMER.code, NEWCOMER.pin);
    await expect.poll(() => page.getByRole('alert').getAttribute('data-code')).toBe('STAFF_PIN_WRONG');
    await logIn(page, { ...NEWCOMER, pin: NEWCOMER.newPin });
    await tab(page, '日结').waitFor();
    expect(await tab(page, '员工管理').count()).toBe(0);
    await logOut(page);
  });

  it('the last active admin cannot be deactivated, and the screen says why', async () => {
    await openStaffScreenAsAdmin();
    await row(DEMO.staff.admin.code).getByRole('button', { name: '停用' }).click();
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('ADMIN_IS_LAST');
    expect(await refusal.textContent()).toContain('这是最后一名在用的管理员，不能停用或调整岗位');
    expect(await stateOf(DEMO.staff.admin.code)).toBe('在用');
    await page.screenshot({ path: `${SCREENSHOTS}/staff-last-admin.png` });

    // The same screen in English, then back to Chinese.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
    expect(await page.getByRole('columnheader').first().textContent()).toBe('Staff no.');
    expect(await refusal.textContent()).toContain('This is the last active admin');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '员工管理' }).waitFor();
    expect(opened.pageErrors).toEqual([]);
    await logOut(page);
  });

  it('a staff member deactivated while logged in is sent back to the login, saying why, at the next tap', async () => {
    await logIn(page, { ...NEWCOMER, pin: NEWCOMER.newPin });
    await tab(page, '日结').waitFor();
    // An admin at another till deactivates them while this screen is still open.
    const { host } = opened.terminal;
    const newcomer = host.ledger.listStaff().find((staff) => staff.code === NEWCOMER.code);
    host.ledger.deactivateStaff({ staffId: newcomer!.id, byStaffId: DEMO.staff.admin.id });
    await tab(page, '交接班').click();
    await page.getByLabel('工号', { exact: true }).waitFor();
    const reason = page.getByRole('alert');
    await expect.poll(() => reason.getAttribute('data-code')).toBe('STAFF_DEACTIVATED');
    expect(await reason.textContent()).toBe('该账号已停用，请联系管理员。');
    expect(opened.pageErrors).toEqual([]);
  });
});
