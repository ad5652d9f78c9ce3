/**
 * A technician pairs the terminal's devices in Chromium and tests each one: the card reader on a real pcscd
 * (vpcd's second reader, with the project's virtual card in it), a receipt printer on a serial line (a socat pty
 * pair, the virtual printer on the other end) and a swiper (the simulated MagTek at the HID seam). The host is
 * then restarted on the same data directory and the counter uses what was paired: a tap shows the member, and
 * the top-up receipt comes out of the pty printer.
 *
 * With SAVE_SCREENSHOTS=1 the Devices screen (zh-CN) is also saved to docs/screenshots/ for docs/installing-and-pairing.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { createHost, type Host } from '../../electron/host/compose';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { startWebServer, type WebServer } from '../../electron/transports/web-server';
import {
  fromHex,
  receiptLines,
  SimulatedSwiper,
  VirtualClassicCard,
  VirtualPrinter,
  VirtualPrinterSerialEnd,
  VpcdCardSlot,
} from '../../hardware/index';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type PcscdHandle, startPcscd } from '../support/pcscd';
import { type PtyPair, startPtyPair } from '../support/pty';
import { openShift } from '../support/shift';
import { factOf } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const DOCS_SCREENSHOTS = 'docs/screenshots';
const saveForDocs = process.env.SAVE_SCREENSHOTS === '1';
/** vpcd's second reader; the host integration test taps on the first. */
const READER = 'Virtual PCD 00 01';
const card = DEMO.cards.uid;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

let pcscd: PcscdHandle;
const slot = new VpcdCardSlot({ slot: 1 });
let pty: PtyPair;
const paper = new VirtualPrinter();
let printerEnd: VirtualPrinterSerialEnd;
const swiper = new SimulatedSwiper({ mode: 'magtek', info: { product: 'MagTek Mini Swipe' } });
let dataDir: string;
let staticDir: string;
let host: Host;
let server: WebServer;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function startHost(): Promise<void> {
  host = createHost({ book: 'demo', dataDir, hidBackend: swiper });
  server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
}

async function stopHost(): Promise<void> {
  await server?.close();
  await host?.close();
}

async function logIn(staff: { code: string; pin: string }): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('工号', { exact: true }).waitFor();
  await page.keyboard.type(staff.code);
  await page.keyboard.press('Enter');
  await page.keyboard.type(staff.pin);
  await page.keyboard.press('Enter');
}

const lastPrinted = () => receiptLines(paper.receipts.at(-1)!).join('\n');

const button = (name: string | RegExp, scope: Page | Locator = page) =>
  scope.getByRole('button', { name, exact: true });
/** A role's card on the Devices screen (会员卡读卡器, 磁条刷卡器, 小票打印机), named by its heading. */
const roleCard = (name: string) => page.getByRole('region', { name, exact: true });
const reader = () => roleCard('会员卡读卡器');
const swiperCard = () => roleCard('磁条刷卡器');
const printer = () => roleCard('小票打印机');
/** What a role card says is paired. */
const pairedOn = (card: Locator) => card.getByRole('status', { name: '已配对的设备' }).textContent();
/** A test's outcome on its role card, named by the test (读卡测试结果, 钱箱测试结果, …). */
const outcome = (name: string) => page.getByRole('status', { name, exact: true });
/** A device discovery found, in its row of the 查找设备 panel. */
const discovered = (name: string) =>
  page.getByRole('region', { name: '查找设备' }).getByRole('row').filter({ hasText: name });
const printerForm = () => page.getByRole('region', { name: '配对小票打印机' });
const diagnostics = () => page.getByRole('region', { name: '诊断', exact: true });

describe.runIf(chromiumAvailable())('a technician pairs and tests the devices', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [pcscd, pty, staticDir] = await Promise.all([startPcscd(), startPtyPair(), ensureRendererBuilt()]);
    printerEnd = new VirtualPrinterSerialEnd(paper, pty.b);
    await printerEnd.open();
    dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-devices-'));
    await startHost();
    // The counter's top-up below is in cash, which needs the drawer's shift open.
    await openShift(host);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    slot.remove();
    await slot.close();
    await browser?.close();
    await stopHost();
    await printerEnd?.close();
    await pty?.stop();
    await pcscd?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the Devices screen to a technician, with the version in the status bar', async () => {
    await logIn(DEMO.staff.technician);
    await page.getByRole('heading', { level: 2, name: /^设备配对与检测/ }).waitFor();
    // The status bar says the version.
    await page.getByRole('banner').getByText(`版本 v${version}`).waitFor();
    expect(await pairedOn(reader())).toContain('未配对');
  });

  it('finds the pcscd reader and the swiper and pairs each with one click', async () => {
    await button('查找').click();
    await button('配对为会员卡读卡器', discovered(READER)).click();
    await expect.poll(() => pairedOn(reader())).toContain(READER);
    await expect.poll(() => reader().getAttribute('data-state')).toBe('connected');

    // With several readers on the till, the technician picks one by name; then back to the first.
    for (const name of ['Virtual PCD 00 01', READER]) {
      await reader().getByLabel('选择读卡器').selectOption(name);
      await button('配对此读卡器', reader()).click();
      await expect.poll(() => pairedOn(reader())).toContain(name);
    }
    await expect.poll(() => reader().getAttribute('data-state')).toBe('connected');

    await button('配对为磁条刷卡器', discovered('MagTek Mini Swipe')).click();
    await expect.poll(() => swiperCard().getAttribute('data-state')).toBe('connected');
  });

  it('pairs the receipt printer on its serial line, with the cash drawer', async () => {
    await printerForm().getByLabel('连接方式').selectOption('serial');
    await printerForm().getByLabel('设备路径').fill(pty.a);
    await printerForm().getByLabel('波特率').selectOption('115200');
    await printerForm().getByLabel('打印机上接有钱箱').check();
    await button('配对打印机', printerForm()).click();
    await expect.poll(() => pairedOn(printer())).toContain(pty.a);
    await expect.poll(() => printer().getAttribute('data-state')).toBe('connected');
  });

  it('tests the reader: a tapped card shows its ATR, type and UID', async () => {
    await button('测试读卡', reader()).click();
    const result = outcome('读卡测试结果');
    await result.getByText('请在读卡器上放一张卡').waitFor();
    await slot.insert(new VirtualClassicCard('mifare-classic-1k', fromHex(card.uid)));
    await expect.poll(() => factOf(result, 'UID')).toBe(card.uid);
    expect(await factOf(result, '卡类型')).toContain('mifare-classic-1k');
    expect(await factOf(result, 'ATR')).toMatch(/^3B[0-9A-F]+/i);
    slot.remove();
  });

  it('tests the swiper: the swiped number is shown masked', async () => {
    await button('测试刷卡', swiperCard()).click();
    const result = outcome('刷卡测试结果');
    await result.getByText('请刷一张会员卡').waitFor();
    const masked = result.getByRole('group', { name: '卡号（已遮蔽）' });
    // The screen shows "waiting" a moment before the host listens; swipe again until the test has heard one.
    await expect
      .poll(async () => {
        if ((await masked.count()) === 0) swiper.swipe({ track2: DEMO.cards.magstripe.cardNumber });
        return masked.count();
      })
      .toBe(1);
    expect(await factOf(result, '卡号（已遮蔽）')).toContain('6200********0003');
    expect(await result.textContent()).not.toContain(DEMO.cards.magstripe.cardNumber);
  });

  it('prints the test page on the pty printer (Chinese, a QR code, a cut) and opens the drawer', async () => {
    const before = paper.receipts.length;
    await button('打印测试页', printer()).click();
    await expect.poll(() => outcome('打印测试结果').textContent()).toContain('测试页已打印');
    expect(paper.receipts.length).toBe(before + 1);
    const page1 = paper.receipts.at(-1)!;
    expect(lastPrinted()).toContain('打印测试页');
    expect(lastPrinted()).toContain('中文打印正常');
    expect(page1.items.some((item) => item.type === 'qr' && item.data.startsWith('POS-TEST '))).toBe(true);
    expect(page1.cut).toBe('partial');
    // What was printed is shown on screen as well.
    const preview = (await printer().getByRole('figure', { name: '测试页打印内容' }).textContent()) ?? '';
    expect(preview).toContain('打印测试页');
    expect(preview).toContain('中文打印正常');

    const pulses = paper.drawerPulses.length;
    await button('打开钱箱', printer()).click();
    await expect.poll(() => outcome('钱箱测试结果').textContent()).toContain('钱箱已打开');
    expect(paper.drawerPulses.length).toBe(pulses + 1);

    // Diagnostics on this machine: pcscd runs, so its check passes, named in Chinese.
    await button('开始诊断', diagnostics()).click();
    await expect
      .poll(() => diagnostics().getByRole('listitem').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await diagnostics().textContent()).not.toMatch(/PCSCD_NOT_RUNNING/);

    await page.screenshot({ path: `${SCREENSHOTS}/devices-zh-CN.png`, fullPage: true });
    if (saveForDocs) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}/devices.png`, fullPage: true });
    }

    // The same screen in English, then back to Chinese for the counter.
    await button('English').click();
    await roleCard('Receipt printer').waitFor();
    expect(await outcome('Test page result').textContent()).toContain('Test page printed');
    await button('中文').click();
    await printer().waitFor();
  });

  it('after a restart on the same data directory, the counter uses the paired reader and printer', async () => {
    await stopHost();
    await startHost();
    await logIn(DEMO.staff.cashier);
    // The counter waits for a card.
    await page.getByLabel('也可以输入卡号后按回车').waitFor();

    await slot.insert(new VirtualClassicCard('mifare-classic-1k', fromHex(card.uid)));
    await page.getByRole('region', { name: DEMO.members.uid.name, exact: true }).waitFor();

    const before = paper.receipts.length;
    await page.keyboard.type('100');
    await expect.poll(() => page.getByRole('status', { name: '金额' }).textContent()).toContain('¥100.00');
    await page.keyboard.press('+');
    await page.getByRole('region', { name: '确认充值' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: '充值成功' }).waitFor();
    await expect.poll(() => paper.receipts.length).toBe(before + 1);
    expect(lastPrinted()).toMatch(/充值金额\s+[¥￥]100\.00/);
    expect(lastPrinted()).toContain(`v${version}`);
    expect(pageErrors).toEqual([]);
  });
});
