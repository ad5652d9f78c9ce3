/**
 * A secured member card on a real PC/SC reader, seen by the cashier in Chromium: the system's pcscd with
 * Debian's vpcd driver, the host composed with the store's hardware (the pcsclite transport, not training
 * mode), and a MIFARE Classic card issued with this terminal's chain keys in the vpcd slot. The member panel
 * shows its member; a card issued by another chain's keys is refused as not issued here, and activating it is
 * refused before anyone is registered; a contact CPU card is named as not supported.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { createHost, type Host } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { startWebServer, type WebServer } from '../../electron/transports/web-server';
import {
  type ChainKeys,
  directSession,
  fromHex,
  issueSecuredClassic,
  type VirtualCard,
  VirtualClassicCard,
  VirtualRawCard,
  VpcdCardSlot,
} from '../../hardware/index';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type PcscdHandle, startPcscd } from '../support/pcscd';
import { tab } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const READER = 'Virtual PCD 00 00';
const cashier = DEMO.staff.cashier;
const member = DEMO.members.mifare;
const securedCard = DEMO.cards.mifare;

let pcscd: PcscdHandle;
let dataDir: string;
let host: Host;
let server: WebServer;
let browser: LaunchedChromium;
let page: Page;
const slot = new VpcdCardSlot({ slot: 0 });

async function issued(uid: string, cardNumber: string, keys: ChainKeys, sector: number) {
  const card = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
  await issueSecuredClassic(directSession(card), { keys, sector, cardNumber });
  return card;
}

/** Keys of another chain with the same chain id: its cards open to neither this chain's keys nor the transport key. */
function anotherChain(): ChainKeys {
  return {
    chainId: host.cardSecurity.keys.chainId,
    masterKey: randomBytes(32),
    chainSecret: randomBytes(32),
  };
}

/** Puts a card on the vpcd reader and waits until the host has read it. */
async function tap(card: VirtualCard, uid: string) {
  const presented = host.hub.next(
    'card.presented',
    (event) => event.uid === uid && event.source === 'reader',
  );
  await slot.insert(card);
  return presented;
}

const button = (name: string) => page.getByRole('button', { name, exact: true });
/** A refusal in words; its code is kept beside the words. */
const refusal = () => page.getByRole('alert');

async function lift(uid: string) {
  const removed = host.hub.next('card.removed', (event) => event.uid === uid || event.uid === '');
  slot.remove();
  await removed;
}

describe.runIf(chromiumAvailable())('a secured card on a PC/SC reader at the counter', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const staticDir = await ensureRendererBuilt();
    pcscd = await startPcscd();
    dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-reader-'));
    host = createHost({ book: 'demo', dataDir, hardware: true });
    server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
    const connected = () => host.hub.deviceList().some((d) => d.device === READER && d.state === 'connected');
    if (!connected()) {
      await host.hub.next('device.status', () => connected());
    }
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByLabel('工号', { exact: true }).waitFor();
    await page.keyboard.type(cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(cashier.pin);
    await page.keyboard.press('Enter');
    // The counter waits for a card.
    await page.getByLabel('也可以输入卡号后按回车').waitFor();
  });

  afterAll(async () => {
    slot.remove();
    await slot.close();
    await browser?.close();
    await server?.close();
    await host?.close();
    await pcscd?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as the store terminal, not in training mode, with the pcscd reader connected', async () => {
    const session = new Session('e2e');
    await host.api.call(session, 'session.login', { staffNo: cashier.code, pin: cashier.pin });
    const info = await host.api.call(session, 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { trainingMode: false } });
    expect(host.hub.deviceList()).toContainEqual({ device: READER, kind: 'reader', state: 'connected' });
  });

  it("shows the member of a card issued with this terminal's chain keys", async () => {
    const uid = '04C0FFEE123456';
    const { keys, sector } = host.cardSecurity;
    const presented = await tap(await issued(uid, securedCard.cardNumber, keys, sector), uid);
    expect(presented).toMatchObject({ cardNumber: securedCard.cardNumber, reader: READER });
    expect(presented.refused).toBeUndefined();
    await page.getByRole('region', { name: member.name, exact: true }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/reader-secured-card.png`, fullPage: true });
    await lift(uid);
  });

  it('refuses a card issued by another chain, saying it was not issued here', async () => {
    const uid = '04BADC0FFEE001';
    const presented = await tap(
      await issued(uid, securedCard.cardNumber, anotherChain(), host.cardSecurity.sector),
      uid,
    );
    expect(presented).toMatchObject({ refused: 'CARD_FOREIGN' });
    expect(presented.cardNumber).toBeUndefined();
    const note = refusal();
    await expect.poll(() => note.getAttribute('data-code'), { timeout: 10_000 }).toBe('CARD_FOREIGN');
    expect(await note.textContent()).toBe('这张卡不是本店发行的会员卡。');
    await page.screenshot({ path: `${SCREENSHOTS}/reader-foreign-card.png`, fullPage: true });
    await lift(uid);
  });

  it('names a contact CPU card on the reader as not supported, in words', async () => {
    const presented = await tap(new VirtualRawCard(fromHex('3B 95 13 81 01 80 73 FF 01 00 0B')), '');
    expect(presented).toMatchObject({ refused: 'CARD_UNSUPPORTED', reader: READER });
    const note = refusal();
    await expect.poll(() => note.getAttribute('data-code'), { timeout: 10_000 }).toBe('CARD_UNSUPPORTED');
    expect(await note.textContent()).toContain('接触式 CPU 卡');
    await page.screenshot({ path: `${SCREENSHOTS}/reader-cpu-card.png`, fullPage: true });
    await lift('');
  });

  it('refuses to activate a card another system keyed, before registering the member', async () => {
    const uid = '04BADC0FFEE002';
    /** Next step (the password is skipped): the prompt names the step it moved to. */
    const forward = async (step: string, via = '下一步') => {
      await button(via).click();
      await page.getByText(step).waitFor();
    };
    await tab(page, '开卡').click();
    await page.getByLabel('姓名', { exact: true }).fill('外系统卡');
    await page.getByLabel('手机', { exact: true }).fill('13912340077');
    await page.getByLabel('会员已阅读并同意个人信息处理说明').check();
    await forward('第 2 步');
    await forward('第 3 步');
    await tap(await issued(uid, '1', anotherChain(), host.cardSecurity.sector), uid);
    await page.getByText(`已读取卡片（UID ${uid}）`).waitFor({ timeout: 10_000 });
    await page.getByLabel('卡面印刷卡号').fill('6612340000000077');
    await forward('第 4 步');
    await forward('第 5 步', '跳过');
    await forward('第 6 步');
    await button('确认开卡').click();

    const note = refusal();
    await expect.poll(() => note.getAttribute('data-code'), { timeout: 10_000 }).toBe('CARD_FOREIGN');
    expect(await note.textContent()).toContain('其他系统加密');
    // Nothing was activated: no 开卡完成, no slip, nothing to write again.
    expect(await page.getByText('开卡完成').count()).toBe(0);
    expect(await page.getByRole('figure', { name: '小票预览' }).count()).toBe(0);
    expect(await button('再次写卡').count()).toBe(0);
    expect(host.ledger.findCardByNumber('6612340000000077')).toBeUndefined();
    await page.screenshot({ path: `${SCREENSHOTS}/activation-foreign-card.png`, fullPage: true });
    await lift(uid);
  });
});
