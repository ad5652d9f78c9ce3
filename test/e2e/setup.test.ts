/**
 * The first start in Chromium against browser mode on an empty data directory: the setup screen instead of a
 * demo book. A standalone store set up on the screen shows its recovery code once, then opens on its login, takes its admin's own PIN and none
 * of the demo's, and carries no DEMO mark; the demo café chosen there shows its PINs and the DEMO mark; a
 * join with HQ away says so and leaves nothing behind.
 */
import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { LEDGER_FILE } from '../../electron/host/compose';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { openHq, serve } from '../integration/sync/fixtures';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type SetupTerminal, startSetupTerminal } from './host-fixture';
import { logIn, submitLogin } from './terminal-page';

/** Each case starts a host and a browser of its own on a machine other tests share. */
const CASE_MS = 90_000;
/** The join case also starts HQ on PGlite. */
const JOIN_CASE_MS = 240_000;

const ADMIN = { name: '周店长', code: '801', pin: '270514' };

let running: SetupTerminal | undefined;
let browser: LaunchedChromium | undefined;
let pageErrors: string[] = [];

async function openSetup(): Promise<Page> {
  running = await startSetupTerminal();
  browser = await launchChromium();
  const page = await browser.context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(running.server.url);
  await page.getByRole('tab', { name: '加入连锁' }).waitFor();
  return page;
}

/** The status bar: the store's name, the book's mark, who is logged in. */
const banner = (page: Page) => page.getByRole('banner');
const demoLogins = (page: Page) => page.getByRole('region', { name: '演示账号' });

async function fillAdmin(page: Page): Promise<void> {
  await page.getByLabel('姓名', { exact: true }).fill(ADMIN.name);
  await page.getByLabel('工号（3–8 位数字）').fill(ADMIN.code);
  await page.getByLabel('密码（4–8 位数字）').fill(ADMIN.pin);
  await page.getByLabel('再输一次密码').fill(ADMIN.pin);
}

afterEach(async () => {
  await browser?.close();
  await running?.stop();
  browser = undefined;
  running = undefined;
});

describe.runIf(chromiumAvailable())('the first start in Chromium', () => {
  // A changed renderer is built once, before the first case starts its clock.
  beforeAll(() => ensureRendererBuilt(), 300_000);

  it(
    'sets up a standalone store on the screen, logs its admin in, and shows no demo anywhere',
    async () => {
      const page = await openSetup();
      await page.getByRole('tab', { name: '独立门店' }).click();
      await page.getByLabel('门店名称').fill('老街面馆');
      expect(await page.getByLabel('时区').inputValue()).toBe('Asia/Shanghai');
      await fillAdmin(page);
      await page.getByLabel('再输一次密码').fill('270515');
      await page.getByRole('button', { name: '创建门店' }).click();
      const refusal = page.getByRole('alert');
      await expect.poll(() => refusal.getAttribute('data-code')).toBe('PIN_MISMATCH');
      expect(await refusal.textContent()).toContain('不一致');

      await page.getByLabel('再输一次密码').fill(ADMIN.pin);
      await page.getByRole('button', { name: '创建门店' }).click();
      // The store's recovery code, once, before the login: printed or written down from day one.
      const code = await page.getByRole('status', { name: '恢复码', exact: true }).textContent();
      expect(code?.trim()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      await page.getByRole('button', { name: '已保存好，关闭' }).click();
      await page.getByLabel('工号', { exact: true }).waitFor();
      await banner(page).getByText('老街面馆', { exact: true }).waitFor();
      expect(await demoLogins(page).count()).toBe(0);
      expect(await banner(page).textContent()).not.toContain('演示');

      await submitLogin(page, DEMO.staff.admin.code, DEMO.staff.admin.pin);
      await page.getByRole('alert').waitFor();
      await logIn(page, ADMIN);
      expect(await banner(page).textContent()).not.toContain('演示');
      expect(running?.terminal.host()?.mode).toBe('live');
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'opens the demo café from the setup screen, marked DEMO, with its PINs on the login',
    async () => {
      const page = await openSetup();
      await page.getByRole('tab', { name: '演示门店' }).click();
      await page.getByRole('button', { name: '打开演示门店' }).click();
      await demoLogins(page).waitFor();
      const logins = await demoLogins(page).textContent();
      expect(logins).toContain(`${DEMO.staff.admin.code}`);
      expect(logins).toContain(`${DEMO.staff.admin.pin}`);
      // The status bar's mark of the demo book, in either language.
      expect(await banner(page).getByText('演示', { exact: true }).count()).toBe(1);
      await page.getByRole('button', { name: 'English' }).click();
      await banner(page).getByText('DEMO', { exact: true }).waitFor();
      await page.getByRole('button', { name: '中文' }).click();
      await logIn(page, DEMO.staff.cashier);
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'says in words when HQ cannot be reached, writes no book, and stays on the setup screen',
    async () => {
      const page = await openSetup();
      await page.getByLabel('总部地址').fill('http://127.0.0.1:9');
      await page.getByLabel('注册码').fill('ABCD-EFGH-JKLM');
      // A scanner's Enter after the code moves on to the first empty field rather than sending half a form.
      await page.getByLabel('注册码').press('Enter');
      await expect
        .poll(() =>
          page.getByLabel('姓名', { exact: true }).evaluate((field) => field === document.activeElement),
        )
        .toBe(true);
      await fillAdmin(page);
      await page.getByRole('button', { name: '加入连锁' }).click();
      const refusal = page.getByRole('alert');
      await expect.poll(() => refusal.getAttribute('data-code')).toBe('HQ_UNREACHABLE');
      expect(await refusal.textContent()).toContain('连不上总部');
      expect(readdirSync(running?.dataDir ?? '').filter((file) => file.startsWith(LEDGER_FILE))).toEqual([]);
      expect(running?.terminal.host()).toBeNull();
      expect(await page.getByRole('button', { name: '加入连锁' }).isEnabled()).toBe(true);
    },
    CASE_MS,
  );

  it(
    "joins a chain with HQ's code typed as a scanner types it, and opens on the login of HQ's store",
    async () => {
      const hq = await openHq('pglite');
      const server = await serve(hq.service);
      try {
        await hq.service.saveStore({
          id: 'store-xuhui',
          name: '徐汇店',
          address: '',
          timeZone: 'Asia/Shanghai',
          currency: 'CNY',
          now: Date.now(),
        });
        const made = await hq.service.createTerminal({
          storeId: 'store-xuhui',
          name: '收银台 1',
          now: Date.now(),
        });
        const page = await openSetup();
        await page.getByLabel('总部地址').fill(server.url);
        await page.getByLabel('注册码').click();
        await page.keyboard.type(made.code);
        await page.keyboard.press('Enter');
        await fillAdmin(page);
        await page.getByRole('button', { name: '加入连锁' }).click();
        await page.getByRole('button', { name: '已保存好，关闭' }).click();
        await page.getByLabel('工号', { exact: true }).waitFor();
        await banner(page).getByText('徐汇店', { exact: true }).waitFor();
        expect(await demoLogins(page).count()).toBe(0);
        await logIn(page, ADMIN);
        expect(await banner(page).textContent()).not.toContain('演示');
        expect(running?.terminal.host()?.identity).toEqual({
          storeId: 'store-xuhui',
          terminalId: made.terminalId,
        });
        expect(pageErrors).toEqual([]);
      } finally {
        await browser?.close();
        browser = undefined;
        await running?.stop();
        running = undefined;
        await server.close();
        await hq.close();
      }
    },
    JOIN_CASE_MS,
  );
});
