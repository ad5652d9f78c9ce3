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
import { logIn, logOut, openTerminalPage, submitLogin, type TerminalPage } from './terminal-page';

let opened: TerminalPage;
let page: Page;

async function lockOut(staffNo: string): Promise<void> {
  // The submit button stays disabled while a login is checked, so each try is answered before the next.
  for (let attempt = 0; attempt < 5; attempt += 1) await submitLogin(page, staffNo, '0000');
  await expect
    .poll(() => page.locator('main.login [role="alert"]').first().getAttribute('data-code'))
    .toBe('STAFF_LOCKED');
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
    await page.getByTestId('login-staff').waitFor();
    expect(page.url()).not.toContain('token');
    expect(page.url()).not.toContain(opened.terminal.server.token);
  });

  it('a manager unlocks a locked-out cashier with their own PIN, and the cashier logs in', async () => {
    await lockOut(DEMO.staff.cashier.code);
    await page.getByTestId('login-help-unlock').click();
    expect(await page.getByTestId('unlock-staff').inputValue()).toBe(DEMO.staff.cashier.code);
    await page.getByTestId('unlock-manager').fill(DEMO.staff.manager.code);
    await page.getByTestId('unlock-manager-pin').fill('0000');
    await page.getByTestId('unlock-submit').click();
    await expect
      .poll(() => page.getByTestId('unlock-form').locator('..').textContent())
      .toContain('还可以再试两次');
    await page.getByTestId('unlock-manager-pin').fill(DEMO.staff.manager.pin);
    await page.getByTestId('unlock-submit').click();
    await expect.poll(() => page.getByTestId('login-help-done').textContent()).toContain('已解锁');
    await logIn(page, DEMO.staff.cashier);
    await logOut(page);
  });

  it("the only admin, locked out, gets back in with the recovery sheet's code", async () => {
    await logIn(page, DEMO.staff.admin);
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('recovery-missing').waitFor();
    await page.getByRole('button', { name: '打印新的恢复单' }).click();
    const code = (await page.getByTestId('recovery-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await page.getByTestId('recovery-done').click();
    await page.getByTestId('recovery-issued').waitFor();
    expect(await page.getByTestId('recovery-code').count()).toBe(0);
    await logOut(page);

    await lockOut(DEMO.staff.admin.code);
    await page.getByTestId('login-help-recover').click();
    await page.getByTestId('recover-code').fill(code.toLowerCase());
    await page.getByTestId('recover-staff').fill(DEMO.staff.admin.code);
    await page.getByTestId('recover-pin').fill('24680');
    await page.getByTestId('recover-pin-again').fill('24680');
    await page.getByTestId('recover-submit').click();
    await expect.poll(() => page.getByTestId('login-help-done').textContent()).toContain('新的恢复单');
    await logIn(page, { ...DEMO.staff.admin, pin: '24680' });
    expect(opened.pageErrors).toEqual([]);
  });
});
