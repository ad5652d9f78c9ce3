/**
 * The admin's backups screen in Debian's Chromium against browser mode: an admin takes a backup (the bar
 * runs, the backup is listed), restores it (verified by the host; pending until the next start), and the
 * screen says so in Chinese; a cashier is not offered the screen.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO } from '../../db';
import { Session } from '../../electron/host/session';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';

const SCREENSHOTS = 'test-results/e2e';

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

/** A tab of the screen bar, by its name. */
const tab = (name: string) =>
  page.getByRole('navigation', { name: '功能' }).getByRole('button', { name, exact: true });

describe.runIf(chromiumAvailable())('backups in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({
      trainingMode: false,
      keyring: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('a cashier has no backups screen', async () => {
    await logIn(DEMO.staff.cashier);
    expect(await tab('备份').count()).toBe(0);
    await page.getByRole('button', { name: '退出' }).click();
  });

  it('an admin backs up, sees it listed, and restores it after verification', async () => {
    await logIn(DEMO.staff.admin);
    await tab('备份').click();
    await page.getByRole('heading', { name: '数据备份' }).waitFor();
    await page.getByRole('button', { name: '立即备份' }).click();
    await expect.poll(() => page.getByText('上次备份成功').count(), { timeout: 20_000 }).toBe(1);
    const row = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
    expect(await row.count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/backups-list.png` });

    await row.getByRole('button', { name: '恢复此备份' }).click();
    await page.getByRole('dialog', { name: '恢复此备份' }).getByRole('button', { name: '确认恢复' }).click();
    await expect.poll(() => page.getByText(/待恢复/).count()).toBeGreaterThan(0);
    expect(await terminal.host.api.call(adminSession(), 'backups.status', {})).toMatchObject({
      ok: true,
      value: { restorePending: { name: await row.getAttribute('data-name') } },
    });
    await page.screenshot({ path: `${SCREENSHOTS}/backups-restore-pending.png` });
    expect(pageErrors).toEqual([]);
  });
});

function adminSession(): Session {
  // The host's own view, checked beside what the screen shows.
  const session = new Session('check');
  const { id, code, name } = DEMO.staff.admin;
  session.logIn({ id, staffNo: code, name, role: 'admin' });
  return session;
}
