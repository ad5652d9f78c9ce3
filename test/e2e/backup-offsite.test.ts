/**
 * Losing the machine, in Chromium against browser mode. On the old terminal the admin sets the backup plan on
 * the Backups screen (a folder on another disk), is shown the backup recovery code once, and backs up: the
 * screen says the copy went off the machine; then rotates the data keys there. A new terminal on an empty data directory is then restored from
 * the setup screen's 从备份恢复 with that folder and the code, typed as copied from paper, and the old admin
 * logs in with their own PIN.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../electron/host/session';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type SetupTerminal, startSetupTerminal } from './host-fixture';
import { logIn } from './terminal-page';

const CASE_MS = 180_000;
const ADMIN = { name: '周店长', code: '801', pin: '270514' };

let browser: LaunchedChromium | undefined;
const running: SetupTerminal[] = [];
/** A tmpfs folder: another disk than the data directory, as a USB disk is. */
const usb = mkdtempSync(join('/dev/shm', 'pos-e2e-usb-'));

afterAll(async () => {
  await browser?.close();
  for (const terminal of running) await terminal.stop();
  rmSync(usb, { recursive: true, force: true });
});

async function newPage(url: string, errors: string[]): Promise<Page> {
  browser ??= await launchChromium();
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return page;
}

describe.runIf(chromiumAvailable())('backups that survive losing the machine, in Chromium', () => {
  beforeAll(() => ensureRendererBuilt(), 300_000);

  it(
    'the admin plans copies off the machine and prints the code; a new terminal restores from them',
    async () => {
      const errors: string[] = [];
      const old = await startSetupTerminal();
      running.push(old);
      const setUp = await old.terminal.api.call(new Session('setup'), 'setup.standalone', {
        storeName: '老街面馆',
        timeZone: 'Asia/Shanghai',
        admin: { name: ADMIN.name, staffNo: ADMIN.code, pin: ADMIN.pin, pinAgain: ADMIN.pin },
      });
      expect(setUp.ok).toBe(true);

      const page = await newPage(old.server.url, errors);
      await logIn(page, ADMIN);
      await page.getByRole('navigation', { name: '功能' }).getByRole('button', { name: '备份' }).click();
      const escrowMissing = page.getByText(/^还没有备份恢复码/);
      await escrowMissing.waitFor();
      expect(await page.getByLabel('自动备份').inputValue()).toBe('24');
      await page.getByLabel('异地副本文件夹').fill(old.dataDir);
      await page.getByRole('button', { name: '保存计划' }).click();
      await expect
        .poll(() => page.getByRole('alert').getAttribute('data-code'))
        .toBe('BACKUP_OFFSITE_SAME_DISK');
      expect(await page.getByRole('alert').textContent()).toContain('U 盘');
      await page.getByLabel('异地副本文件夹').fill(usb);
      await page.getByLabel('保留天数').fill('30');
      await page.getByRole('button', { name: '保存计划' }).click();
      await page.getByText('已保存', { exact: true }).waitFor();

      await page.getByRole('button', { name: '生成备份恢复码' }).click();
      const shown = page.getByText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
      const code = (await shown.textContent())!.trim();
      await page.getByRole('button', { name: '已保存好，关闭' }).click();
      expect(await shown.count()).toBe(0);
      expect(await escrowMissing.count()).toBe(0);

      await page.getByRole('button', { name: '立即备份' }).click();
      await expect
        .poll(() => page.getByText('最近一次备份已复制到异地文件夹。').count(), { timeout: 30_000 })
        .toBe(1);
      // The admin rotates the data keys: the escrow beside the copies is sealed again with the new key.
      expect(await page.getByText(/^当前密钥：/).textContent()).toContain('k1');
      await page.getByRole('button', { name: '轮换数据密钥' }).click();
      await page.getByRole('dialog', { name: '轮换数据密钥' }).getByRole('button', { name: '确认' }).click();
      await expect.poll(() => page.getByText(/^已轮换到/).textContent()).toContain('k2');
      expect(await page.getByText(/^当前密钥：/).textContent()).toContain('k2');
      await page.close();
      await old.stop();
      running.splice(running.indexOf(old), 1);

      // A new machine: the setup screen, the copy folder and the code from paper.
      const folder = join(usb, readdirSync(usb)[0]!);
      const fresh = await startSetupTerminal();
      running.push(fresh);
      const setup = await newPage(fresh.server.url, errors);
      await setup.getByRole('tab', { name: '从备份恢复' }).click();
      await setup.getByLabel('备份文件夹').fill(folder);
      await setup.getByLabel('备份恢复码').fill('0000-0000-0000-0000-0000');
      await setup.getByRole('button', { name: '恢复账本' }).click();
      await expect.poll(() => setup.getByRole('alert').getAttribute('data-code')).toBe('RESTORE_CODE_WRONG');
      expect(await setup.getByRole('alert').textContent()).toContain('恢复码不对');
      await setup.getByLabel('备份恢复码').fill(code.toLowerCase().replaceAll('-', ' '));
      await setup.getByRole('button', { name: '恢复账本' }).click();
      await setup.getByLabel('工号', { exact: true }).waitFor({ timeout: 30_000 });
      await expect.poll(() => setup.getByRole('banner').textContent()).toContain('老街面馆');
      await logIn(setup, ADMIN);
      expect(fresh.terminal.host()?.mode).toBe('live');
      expect(errors).toEqual([]);
    },
    CASE_MS,
  );
});
