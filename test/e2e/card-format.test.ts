/**
 * The member-card format panel on the Devices screen in Debian's Chromium against browser mode: a manager
 * does not see it; a technician sees the chain id, sector, purse and key fingerprint, is told in words that
 * sector 0 cannot hold member data, saves sector 2 with the purse on, and cannot change the chain id; an
 * admin changes the chain id after confirming what it does to the cards already issued. Both changes are
 * saved for the next start and audited; the panel's title is checked once in English.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import {
  CARD_SECURITY_SETTING,
  cardKeyFingerprint,
  DEMO_CARD_SECURITY,
} from '../../electron/host/card-security';
import { chromiumAvailable } from '../support/chromium';
import { logIn, logOut, openTerminalPage, type TerminalPage } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';

let opened: TerminalPage;
let page: Page;

const terminal = () => opened.terminal;
const savedSetting = () => terminal().host.ledger.settings.get(CARD_SECURITY_SETTING);
const settingsChanges = () =>
  terminal()
    .host.ledger.sqlite.prepare<[], { outcome: string; staff_id: string }>(
      "SELECT outcome, staff_id FROM audit WHERE action = 'settings.change' ORDER BY id",
    )
    .all();

describe.runIf(chromiumAvailable())('the member-card format panel in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    opened = await openTerminalPage();
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.stop();
  });

  it('is not shown to a manager', async () => {
    await logIn(page, DEMO.staff.manager);
    await page.getByTestId('nav-devices').click();
    await page.getByTestId('devices-screen').waitFor();
    expect(await page.getByTestId('card-format').count()).toBe(0);
    await logOut(page);
  });

  it('shows a technician the format and key fingerprint, and saves a valid sector with the purse on', async () => {
    await logIn(page, DEMO.staff.technician);
    await page.getByTestId('devices-screen').waitFor();
    const panel = page.getByTestId('card-format');
    await expect.poll(() => panel.locator('h3').textContent()).toBe('会员卡格式');
    await expect
      .poll(() => page.getByTestId('card-format-chain').textContent())
      .toBe('12648430 (0x00C0FFEE)');
    expect(await page.getByTestId('card-format-sector').textContent()).toBe('1');
    expect(await page.getByTestId('card-format-purse').textContent()).toBe('关闭');
    expect(await page.getByTestId('card-format-fingerprint').textContent()).toBe(
      cardKeyFingerprint(terminal().host.cardSecurity.keys),
    );
    expect(await page.getByTestId('card-format-chain-input').count()).toBe(0);
    expect(await page.getByTestId('card-format-chain-admin-only').textContent()).toBe(
      '连锁编号只能由管理员修改。',
    );

    // Sector 0 holds the manufacturer block: refused in words before anything is sent.
    await page.getByTestId('card-format-sector-input').fill('0');
    await page.getByTestId('card-format-save').click();
    await expect
      .poll(() => page.getByTestId('card-format-out-of-range').textContent())
      .toContain('扇区须为 1 到 15');
    expect(savedSetting()).toEqual(DEMO_CARD_SECURITY);

    await page.getByTestId('card-format-sector-input').fill('2');
    expect(await panel.textContent()).toContain('需在新扇区重新写卡');
    await page.getByTestId('card-format-purse-input').check();
    await page.getByTestId('card-format-save').click();
    await expect
      .poll(() => page.getByTestId('card-format-saved').textContent())
      .toBe('已保存，重启收银机后生效。');
    expect(await page.getByTestId('card-format-out-of-range').count()).toBe(0);
    expect(await page.getByTestId('card-format-pending').textContent()).toContain('扇区 2，卡内余额镜像开启');
    // What the readers use is unchanged until the restart.
    expect(await page.getByTestId('card-format-sector').textContent()).toBe('1');
    expect(savedSetting()).toEqual({ ...DEMO_CARD_SECURITY, sector: 2, purse: true });
    await page.screenshot({ path: `${SCREENSHOTS}/card-format-technician.png`, fullPage: true });
    await logOut(page);
  });

  it('lets an admin change the chain id only after confirming what it does to issued cards', async () => {
    await logIn(page, DEMO.staff.admin);
    await page.getByTestId('nav-devices').click();
    await page.getByTestId('card-format-chain-input').fill('12345');
    await page.getByTestId('card-format-change-chain').click();
    const confirm = page.getByRole('dialog', { name: '修改连锁编号' });
    await expect.poll(() => confirm.textContent()).toContain('已发行的会员卡都会显示为“非本连锁发行的卡”');
    expect(await confirm.textContent()).toContain('12345 (0x00003039)');

    // Cancelling changes nothing.
    await confirm.getByRole('button', { name: '取消' }).click();
    expect(await confirm.count()).toBe(0);
    expect((savedSetting() as { chainId: number }).chainId).toBe(DEMO_CARD_SECURITY.chainId);

    await page.getByTestId('card-format-change-chain').click();
    await confirm.getByRole('button', { name: '确认修改' }).click();
    await expect
      .poll(() => page.getByTestId('card-format-pending').textContent())
      .toContain('连锁编号 12345 (0x00003039)');
    expect(savedSetting()).toEqual({ chainId: 12345, sector: 2, purse: true });
    expect(settingsChanges()).toEqual([
      { outcome: 'ok', staff_id: DEMO.staff.technician.id },
      { outcome: 'ok', staff_id: DEMO.staff.admin.id },
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}/card-format-admin.png`, fullPage: true });

    await page.getByTestId('toggle-language').click();
    await expect
      .poll(() => page.getByTestId('card-format').locator('h3').textContent())
      .toBe('Member card format');
    await page.getByTestId('toggle-language').click();
    await expect.poll(() => page.getByTestId('card-format').locator('h3').textContent()).toBe('会员卡格式');
    expect(opened.pageErrors).toEqual([]);
  });
});
