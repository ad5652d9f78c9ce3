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
import type { Page } from 'playwright-core';
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
  await page.getByTestId('login-staff').waitFor();
  await page.keyboard.type(staff.code);
  await page.keyboard.press('Enter');
  await page.keyboard.type(staff.pin);
  await page.keyboard.press('Enter');
}

const lastPrinted = () => receiptLines(paper.receipts.at(-1)!).join('\n');

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
    await page.getByTestId('devices-screen').waitFor();
    expect(await page.getByTestId('app-version').textContent()).toContain(`v${version}`);
    expect(await page.getByTestId('role-device-reader').textContent()).toContain('未配对');
  });

  it('finds the pcscd reader and the swiper and pairs each with one click', async () => {
    await page.getByTestId('discover').click();
    const readerRow = page.getByTestId('discovered').filter({ hasText: READER });
    await readerRow.getByTestId('pair-discovered').click();
    await expect.poll(() => page.getByTestId('role-device-reader').textContent()).toContain(READER);
    await expect.poll(() => page.getByTestId('role-reader').getAttribute('data-state')).toBe('connected');

    // With several readers on the till, the technician picks one by name; then back to the first.
    for (const reader of ['Virtual PCD 00 01', READER]) {
      await page.getByTestId('reader-select').selectOption(reader);
      await page.getByTestId('reader-pair').click();
      await expect.poll(() => page.getByTestId('role-device-reader').textContent()).toContain(reader);
    }
    await expect.poll(() => page.getByTestId('role-reader').getAttribute('data-state')).toBe('connected');

    const swiperRow = page.getByTestId('discovered').filter({ hasText: 'MagTek Mini Swipe' });
    await swiperRow.getByTestId('pair-discovered').click();
    await expect.poll(() => page.getByTestId('role-swiper').getAttribute('data-state')).toBe('connected');
  });

  it('pairs the receipt printer on its serial line, with the cash drawer', async () => {
    await page.getByTestId('printer-kind').selectOption('serial');
    await page.getByTestId('printer-path').fill(pty.a);
    await page.getByTestId('printer-baud').selectOption('115200');
    await page.getByTestId('printer-drawer').check();
    await page.getByTestId('pair-printer').click();
    await expect.poll(() => page.getByTestId('role-device-printer').textContent()).toContain(pty.a);
    await expect.poll(() => page.getByTestId('role-printer').getAttribute('data-state')).toBe('connected');
  });

  it('tests the reader: a tapped card shows its ATR, type and UID', async () => {
    await page.getByTestId('test-reader').click();
    await page.getByTestId('test-waiting-reader').waitFor();
    await slot.insert(new VirtualClassicCard('mifare-classic-1k', fromHex(card.uid)));
    const result = page.getByTestId('test-result-reader');
    await expect.poll(() => result.textContent()).toContain(card.uid);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('mifare-classic-1k');
    expect(text).toMatch(/ATR\s*3B[0-9A-F]+/i);
    slot.remove();
  });

  it('tests the swiper: the swiped number is shown masked', async () => {
    await page.getByTestId('test-swiper').click();
    await page.getByTestId('test-waiting-swiper').waitFor();
    const result = page.getByTestId('test-result-swiper');
    // The screen shows "waiting" a moment before the host listens; swipe again until the test has heard one.
    await expect
      .poll(async () => {
        if ((await result.count()) === 0) swiper.swipe({ track2: DEMO.cards.magstripe.cardNumber });
        return result.count();
      })
      .toBe(1);
    expect(await result.textContent()).toContain('6200********0003');
    expect(await result.textContent()).not.toContain(DEMO.cards.magstripe.cardNumber);
  });

  it('prints the test page on the pty printer (Chinese, a QR code, a cut) and opens the drawer', async () => {
    const before = paper.receipts.length;
    await page.getByTestId('test-printer').click();
    await expect.poll(() => page.getByTestId('test-result-printer').textContent()).toContain('测试页已打印');
    expect(paper.receipts.length).toBe(before + 1);
    const page1 = paper.receipts.at(-1)!;
    expect(lastPrinted()).toContain('打印测试页');
    expect(lastPrinted()).toContain('中文打印正常');
    expect(page1.items.some((item) => item.type === 'qr' && item.data.startsWith('POS-TEST '))).toBe(true);
    expect(page1.cut).toBe('partial');
    // What was printed is shown on screen as well.
    const preview = (await page.getByTestId('test-preview-printer').textContent()) ?? '';
    expect(preview).toContain('打印测试页');
    expect(preview).toContain('中文打印正常');

    const pulses = paper.drawerPulses.length;
    await page.getByTestId('test-drawer').click();
    await expect.poll(() => page.getByTestId('test-result-drawer').textContent()).toContain('钱箱已打开');
    expect(paper.drawerPulses.length).toBe(pulses + 1);

    // Diagnostics on this machine: pcscd runs, so its check passes, named in Chinese.
    await page.getByTestId('diagnose').click();
    await expect.poll(() => page.getByTestId('finding').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('diagnostics').textContent()).not.toMatch(/PCSCD_NOT_RUNNING/);

    await page.screenshot({ path: `${SCREENSHOTS}/devices-zh-CN.png`, fullPage: true });
    if (saveForDocs) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}/devices.png`, fullPage: true });
    }

    // The same screen in English, then back to Chinese for the counter.
    await page.getByTestId('toggle-language').click();
    await expect.poll(() => page.getByTestId('role-printer').textContent()).toContain('Receipt printer');
    expect(await page.getByTestId('test-result-printer').textContent()).toContain('Test page printed');
    await page.getByTestId('toggle-language').click();
    await expect.poll(() => page.getByTestId('role-printer').textContent()).toContain('小票打印机');
  });

  it('after a restart on the same data directory, the counter uses the paired reader and printer', async () => {
    await stopHost();
    await startHost();
    await logIn(DEMO.staff.cashier);
    await page.getByTestId('waiting').waitFor();

    await slot.insert(new VirtualClassicCard('mifare-classic-1k', fromHex(card.uid)));
    await expect.poll(() => page.getByTestId('member-name').textContent()).toBe(DEMO.members.uid.name);

    const before = paper.receipts.length;
    await page.keyboard.type('100');
    await expect.poll(() => page.getByTestId('amount').textContent()).toContain('¥100.00');
    await page.keyboard.press('+');
    await page.getByTestId('bonus-preview').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    await expect.poll(() => paper.receipts.length).toBe(before + 1);
    expect(lastPrinted()).toMatch(/充值金额\s+[¥￥]100\.00/);
    expect(lastPrinted()).toContain(`v${version}`);
    expect(pageErrors).toEqual([]);
  });
});
