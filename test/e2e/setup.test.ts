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
  await page.getByTestId('setup-tab-join').waitFor();
  return page;
}

async function fillAdmin(page: Page): Promise<void> {
  await page.getByTestId('setup-admin-name').fill(ADMIN.name);
  await page.getByTestId('setup-admin-staff').fill(ADMIN.code);
  await page.getByTestId('setup-admin-pin').fill(ADMIN.pin);
  await page.getByTestId('setup-admin-pin-again').fill(ADMIN.pin);
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
      await page.getByTestId('setup-tab-standalone').click();
      await page.getByTestId('setup-store-name').fill('老街面馆');
      expect(await page.getByTestId('setup-time-zone').inputValue()).toBe('Asia/Shanghai');
      await fillAdmin(page);
      await page.getByTestId('setup-admin-pin-again').fill('270515');
      await page.getByTestId('setup-standalone-submit').click();
      await expect.poll(() => page.locator('[data-code="PIN_MISMATCH"]').textContent()).toContain('不一致');

      await page.getByTestId('setup-admin-pin-again').fill(ADMIN.pin);
      await page.getByTestId('setup-standalone-submit').click();
      // The store's recovery code, once, before the login: printed or written down from day one.
      const code = await page.getByTestId('setup-recovery-code').textContent();
      expect(code?.trim()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      await page.getByTestId('setup-recovery-done').click();
      await page.getByTestId('login-staff').waitFor();
      await expect.poll(() => page.locator('.status-bar .store').textContent()).toBe('老街面馆');
      expect(await page.getByTestId('demo-logins').count()).toBe(0);
      expect(await page.getByTestId('book-mode').count()).toBe(0);

      await submitLogin(page, DEMO.staff.admin.code, DEMO.staff.admin.pin);
      await page.locator('.error-note').waitFor();
      await logIn(page, ADMIN);
      expect(await page.getByTestId('book-mode').count()).toBe(0);
      expect(await page.locator('.status-bar').textContent()).not.toContain('演示');
      expect(running?.terminal.host()?.mode).toBe('live');
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'opens the demo café from the setup screen, marked DEMO, with its PINs on the login',
    async () => {
      const page = await openSetup();
      await page.getByTestId('setup-tab-demo').click();
      await page.getByTestId('setup-demo-submit').click();
      await page.getByTestId('demo-logins').waitFor();
      const logins = await page.getByTestId('demo-logins').textContent();
      expect(logins).toContain(`${DEMO.staff.admin.code}`);
      expect(logins).toContain(`${DEMO.staff.admin.pin}`);
      expect(await page.getByTestId('book-mode').textContent()).toBe('演示');
      await page.getByTestId('toggle-language').click();
      expect(await page.getByTestId('book-mode').textContent()).toBe('DEMO');
      await logIn(page, DEMO.staff.cashier);
      expect(pageErrors).toEqual([]);
    },
    CASE_MS,
  );

  it(
    'says in words when HQ cannot be reached, writes no book, and stays on the setup screen',
    async () => {
      const page = await openSetup();
      await page.getByTestId('setup-hq-url').fill('http://127.0.0.1:9');
      await page.getByTestId('setup-code').fill('ABCD-EFGH-JKLM');
      // A scanner's Enter after the code moves on to the first empty field rather than sending half a form.
      await page.getByTestId('setup-code').press('Enter');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('setup-admin-name');
      await fillAdmin(page);
      await page.getByTestId('setup-join-submit').click();
      await expect
        .poll(() => page.locator('[data-code="HQ_UNREACHABLE"]').textContent())
        .toContain('连不上总部');
      expect(readdirSync(running?.dataDir ?? '').filter((file) => file.startsWith(LEDGER_FILE))).toEqual([]);
      expect(running?.terminal.host()).toBeNull();
      expect(await page.getByTestId('setup-join-submit').isEnabled()).toBe(true);
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
        await page.getByTestId('setup-hq-url').fill(server.url);
        await page.getByTestId('setup-code').click();
        await page.keyboard.type(made.code);
        await page.keyboard.press('Enter');
        await fillAdmin(page);
        await page.getByTestId('setup-join-submit').click();
        await page.getByTestId('setup-recovery-code').waitFor();
        await page.getByTestId('setup-recovery-done').click();
        await page.getByTestId('login-staff').waitFor();
        await expect.poll(() => page.locator('.status-bar .store').textContent()).toBe('徐汇店');
        expect(await page.getByTestId('demo-logins').count()).toBe(0);
        await logIn(page, ADMIN);
        expect(await page.getByTestId('book-mode').count()).toBe(0);
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
