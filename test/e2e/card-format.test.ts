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
import { logIn, logOut, openTerminalPage, type TerminalPage, tab } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';

let opened: TerminalPage;
let page: Page;

const terminal = () => opened.terminal;
/** The panel, by its heading (in Chinese unless told). */
const panel = (name = '会员卡格式') => page.getByRole('region', { name });
/** A fact the panel shows, by its name. */
const fact = (name: string) => panel().getByRole('group', { name, exact: true }).getByRole('definition');
/** The note that a saved change waits for the restart. */
const pending = () => panel().getByRole('status').filter({ hasText: '重启后' });
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
    await tab(page, '设备').click();
    await page.getByRole('heading', { name: '设备配对与检测' }).waitFor();
    expect(await panel().count()).toBe(0);
    await logOut(page);
  });

  it('shows a technician the format and key fingerprint, and saves a valid sector with the purse on', async () => {
    await logIn(page, DEMO.staff.technician);
    await expect.poll(() => fact('连锁编号').textContent()).toBe('12648430 (0x00C0FFEE)');
    expect(await fact('会员数据扇区').textContent()).toBe('1');
    expect(await fact('卡内余额镜像').textContent()).toBe('关闭');
    expect(await fact('卡密钥指纹').textContent()).toBe(
      cardKeyFingerprint(terminal().host.cardSecurity.keys),
    );
    expect(
      await panel()
        .getByLabel(/^新的连锁编号/)
        .count(),
    ).toBe(0);
    expect(await panel().getByText('连锁编号只能由管理员修改。', { exact: true }).count()).toBe(1);

    // Sector 0 holds the manufacturer block: refused in words before anything is sent.
    const sector = panel().getByLabel(/^会员数据扇区（/);
    const save = panel().getByRole('button', { name: '保存', exact: true });
    await sector.fill('0');
    await save.click();
    await expect.poll(() => panel().getByRole('alert').textContent()).toContain('扇区须为 1 到 15');
    expect(savedSetting()).toEqual(DEMO_CARD_SECURITY);

    await sector.fill('2');
    expect(await panel().textContent()).toContain('需在新扇区重新写卡');
    await panel().getByLabel('每次充值、消费后把余额写入卡内').check();
    await save.click();
    await expect
      .poll(() => panel().getByRole('status').filter({ hasText: '已保存，' }).textContent())
      .toBe('已保存，重启收银机后生效。');
    expect(await panel().getByRole('alert').count()).toBe(0);
    expect(await pending().textContent()).toContain('扇区 2，卡内余额镜像开启');
    // What the readers use is unchanged until the restart.
    expect(await fact('会员数据扇区').textContent()).toBe('1');
    expect(savedSetting()).toEqual({ ...DEMO_CARD_SECURITY, sector: 2, purse: true });
    await page.screenshot({ path: `${SCREENSHOTS}/card-format-technician.png`, fullPage: true });
    await logOut(page);
  });

  it('lets an admin change the chain id only after confirming what it does to issued cards', async () => {
    await logIn(page, DEMO.staff.admin);
    await tab(page, '设备').click();
    await panel()
      .getByLabel(/^新的连锁编号/)
      .fill('12345');
    await panel().getByRole('button', { name: '修改连锁编号' }).click();
    const confirm = page.getByRole('dialog', { name: '修改连锁编号' });
    await expect.poll(() => confirm.textContent()).toContain('已发行的会员卡都会显示为“非本连锁发行的卡”');
    expect(await confirm.textContent()).toContain('12345 (0x00003039)');

    // Cancelling changes nothing.
    await confirm.getByRole('button', { name: '取消' }).click();
    expect(await confirm.count()).toBe(0);
    expect((savedSetting() as { chainId: number }).chainId).toBe(DEMO_CARD_SECURITY.chainId);

    await panel().getByRole('button', { name: '修改连锁编号' }).click();
    await confirm.getByRole('button', { name: '确认修改' }).click();
    await expect.poll(() => pending().textContent()).toContain('连锁编号 12345 (0x00003039)');
    expect(savedSetting()).toEqual({ chainId: 12345, sector: 2, purse: true });
    expect(settingsChanges()).toEqual([
      { outcome: 'ok', staff_id: DEMO.staff.technician.id },
      { outcome: 'ok', staff_id: DEMO.staff.admin.id },
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}/card-format-admin.png`, fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await panel('Member card format').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await panel().waitFor();
    expect(opened.pageErrors).toEqual([]);
  });
});
